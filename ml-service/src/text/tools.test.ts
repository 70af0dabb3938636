// Unit tests of the function-calling helpers: request validation, the forced-call schema and the parse of a call.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { callSchema, forcedTools, parseCall, parseTools } from './tools.js';

const weather = { name: 'get_weather', description: 'Weather.', parametersJson: '{"type":"object","properties":{"city":{"type":"string"}}}' };
const play = { name: 'play', description: 'Play.', parametersJson: '' };

test('parseTools validates names, parameters and the choice, naming the field', () => {
  const t = parseTools([weather, play], '');
  assert.equal(t.choice, 'auto');
  assert.deepEqual(t.functions[1]!.parameters, { type: 'object' });
  assert.deepEqual(parseTools([weather, play], 'play').choice, { name: 'play' });
  assert.deepEqual(forcedTools(parseTools([weather, play], 'play')).map((f) => f.name), ['play']);
  assert.deepEqual(forcedTools(parseTools([weather, play], 'required')).map((f) => f.name), ['get_weather', 'play']);
  assert.throws(() => parseTools([weather], 'fly'), /toolChoice: names no tool of the request: "fly"/);
  assert.throws(() => parseTools([{ ...weather, name: 'bad name' }], 'auto'), /tools\.functions\[0\]\.name/);
  assert.throws(() => parseTools([{ ...weather, parametersJson: '{' }], 'auto'), /tools\.functions\[0\]\.parameters_json: is not valid JSON/);
  assert.throws(() => parseTools([{ ...weather, parametersJson: '[1]' }], 'auto'), /must be a JSON object/);
  assert.throws(() => parseTools([weather, weather], 'auto'), /names must be unique/);
});

test('callSchema pins the name with const, oneOf across tools; parseCall accepts only a complete call of a listed tool', () => {
  const tools = parseTools([weather, play], 'required').functions;
  const one = callSchema([tools[0]!]);
  assert.deepEqual(one, { type: 'object', properties: { name: { const: 'get_weather' }, arguments: tools[0]!.parameters }, required: ['name', 'arguments'] });
  assert.equal((callSchema(tools) as { oneOf: unknown[] }).oneOf.length, 2);
  assert.deepEqual(parseCall('{"name": "play", "arguments": {"times": 2}}', tools), { id: 'call_0', name: 'play', argumentsJson: '{"times":2}' });
  assert.equal(parseCall('{"name": "fly", "arguments": {}}', tools), undefined);
  assert.equal(parseCall('{"name": "play"', tools), undefined);
  assert.equal(parseCall('{"name": "play"}', tools), undefined);
});
