// @tabagent/supervisor: the daemon (see cli.ts for the executable).
export { startSupervisor, type SupervisorApp } from './app.js';
export { parseConfig, buildCommand, type Config, type Mode } from './config/config.js';
export { ChildSupervisor, type ChildState, type LifecyclePolicy } from './child/child-supervisor.js';
export type { MlChild, MlChildFactory, ChildExit, ChildSpawnOptions } from './child/ml-child.js';
