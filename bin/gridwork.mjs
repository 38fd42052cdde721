#!/usr/bin/env node
// The operators' CLI: `gridwork migrate | seed-demo | create-user | reset-password | help`.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
