// Worker thread entry (piscina): loads the TypeScript tasks through tsx, whoever started the process (tsx, vitest).
import { register } from 'tsx/esm/api';

register();
const { tasks } = await import('./geometry-tasks.ts');

export default function run({ name, args }) {
  return tasks[name](...args);
}
