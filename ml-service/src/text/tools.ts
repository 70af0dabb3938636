// Function calling in Chat: the tools a request offers, the tool_choice rule, the JSON schema that
// forces a call to one of them (so a grammar-capable runtime can make any model call a tool), the
// system text that describes them, and the parse of the model's call.

import { invalidArgument } from './errors.js';

/** A function the model may call. */
export interface ToolFunction {
  readonly name: string;
  readonly description: string;
  /** JSON schema of the arguments. */
  readonly parameters: Record<string, unknown>;
}

/** "auto", "none", "required", or the name of the one tool to call. */
export type ToolChoice = 'auto' | 'none' | 'required' | { readonly name: string };

export interface ChatTools {
  readonly functions: readonly ToolFunction[];
  readonly choice: ToolChoice;
}

/** One call the model made. */
export interface ToolCallResult {
  readonly id: string;
  readonly name: string;
  readonly argumentsJson: string;
}

const NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** Validates the public fields (parameters as JSON text) into ChatTools; INVALID_ARGUMENT naming the field. */
export function parseTools(functions: readonly { name: string; description: string; parametersJson: string }[], choice: string): ChatTools {
  const parsed = functions.map((f, i): ToolFunction => {
    if (!NAME.test(f.name)) throw invalidArgument(`tools.functions[${i}].name`, 'must be 1-64 letters, digits, _ or -');
    let parameters: unknown = { type: 'object' };
    if (f.parametersJson !== '') {
      try {
        parameters = JSON.parse(f.parametersJson);
      } catch {
        throw invalidArgument(`tools.functions[${i}].parameters_json`, 'is not valid JSON');
      }
    }
    if (!parameters || typeof parameters !== 'object' || Array.isArray(parameters)) throw invalidArgument(`tools.functions[${i}].parameters_json`, 'must be a JSON object');
    return { name: f.name, description: f.description, parameters: parameters as Record<string, unknown> };
  });
  if (new Set(parsed.map((f) => f.name)).size !== parsed.length) throw invalidArgument('tools.functions', 'names must be unique');
  const c = choice === '' ? 'auto' : choice;
  if (c === 'auto' || c === 'none' || c === 'required') return { functions: parsed, choice: c };
  if (!parsed.some((f) => f.name === c)) throw invalidArgument('toolChoice', `names no tool of the request: "${c}"`);
  return { functions: parsed, choice: { name: c } };
}

/** The tools a forced call may pick from: all for "required", the named one otherwise. */
export function forcedTools(t: ChatTools): readonly ToolFunction[] {
  return typeof t.choice === 'object' ? t.functions.filter((f) => f.name === (t.choice as { name: string }).name) : t.functions;
}

/** JSON schema of `{"name": <tool>, "arguments": <its parameters>}` over the given tools. */
export function callSchema(tools: readonly ToolFunction[]): Record<string, unknown> {
  const one = (f: ToolFunction): Record<string, unknown> => ({
    type: 'object', properties: { name: { const: f.name }, arguments: f.parameters }, required: ['name', 'arguments'],
  });
  return tools.length === 1 ? one(tools[0]!) : { oneOf: tools.map(one) };
}

/** A system message describing the tools, for models whose prompt has no tool section of its own. */
export function toolsSystemText(tools: readonly ToolFunction[]): string {
  const lines = tools.map((f) => `- ${f.name}: ${f.description} Arguments: ${JSON.stringify(f.parameters)}`);
  return `You can call these functions. To call one, answer with a JSON object {"name": ..., "arguments": {...}}.\n${lines.join('\n')}`;
}

/** The call in a forced reply, or undefined when the text is not a complete call. */
export function parseCall(text: string, tools: readonly ToolFunction[]): ToolCallResult | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  const call = v as { name?: unknown; arguments?: unknown };
  if (typeof call?.name !== 'string' || !tools.some((f) => f.name === call.name) || call.arguments === undefined) return undefined;
  return { id: 'call_0', name: call.name, argumentsJson: JSON.stringify(call.arguments) };
}
