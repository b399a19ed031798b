// `npm run docs:attacks`: runs the program under mocks, tries every attack of the kit's table and
// writes its block of docs/tenant-isolation.md from what the kit decided.
import { attackDocCommand, attackDocPath, renderAttackBlock, tryAttacks } from "./attackDoc";
import { writeBlock } from "./generatedBlock";
import { platformCluster } from "./platformCluster";

platformCluster().then((cluster) => {
    const results = tryAttacks(cluster);
    writeBlock(attackDocPath, attackDocCommand, renderAttackBlock(results, cluster));
    const denied = results.filter((r) => !r.verdict.allowed).length;
    console.log(`${attackDocPath}: ${results.length} attacks tried, ${denied} denied`);
    process.exit(0);
}, (error: unknown) => {
    console.error(error);
    process.exit(1);
});
