// Worker thread entry (piscina): loads the TypeScript tasks through tsx, whoever started the process (tsx, vitest).
// A DomainError does not survive the trip between threads as a class: it is sent back as its code and parameters
// and thrown again on the other side (src/services/offload.ts).
import { register } from 'tsx/esm/api';

register();
const { tasks } = await import('./geometry-tasks.ts');

export default async function run({ name, args }) {
  try {
    return { value: await tasks[name](...args) };
  } catch (e) {
    if (e && e.name === 'DomainError') return { domainError: { code: e.code, params: e.params } };
    throw e;
  }
}
