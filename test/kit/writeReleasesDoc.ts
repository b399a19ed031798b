// `npm run docs:releases`: writes the Flux v2 releases table of docs/engines.md from versions.ts.
import { writeBlock } from "./generatedBlock";
import { releasesDocCommand, releasesDocPath, renderReleasesBlock } from "./releasesDoc";

writeBlock(releasesDocPath, releasesDocCommand, renderReleasesBlock());
console.log(`${releasesDocPath}: the Flux v2 releases table written`);
