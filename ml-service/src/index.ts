// @tabagent/ml-service: the stateless ML child.
export { mlMain, runMl } from './main.js';
export { parseMlArgs, ML_HELP, type MlConfig } from './args.js';
