// After `npm pack`: removes what scripts/prepack.mjs added to the package folder.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
for (const d of ['akt-core', 'prebuilds']) rmSync(path.join(pkg, d), { recursive: true, force: true });
