// `npm run docs:attacks`: runs the program under mocks, tries every attack of the kit's table and
// writes docs/tenant-isolation.md from what the kit decided.
import * as fs from "fs";
import { attackDocPath, renderAttackDoc, tryAttacks } from "./attackDoc";
import { platformCluster } from "./platformCluster";

platformCluster().then((cluster) => {
    const results = tryAttacks(cluster);
    fs.writeFileSync(attackDocPath, renderAttackDoc(results));
    const denied = results.filter((r) => !r.verdict.allowed).length;
    console.log(`${attackDocPath}: ${results.length} attacks tried, ${denied} denied`);
    process.exit(0);
}, (error: unknown) => {
    console.error(error);
    process.exit(1);
});
