// `npm run docs:reach`: writes docs/operations.md's table of what the example stack reaches.
import { runProgram } from "../kit/harness";
import { writeBlock } from "../kit/generatedBlock";
import { exampleStack } from "../kit/platformCluster";
import { reachDocCommand, reachDocPath, renderReachBlock } from "./reachDoc";

async function main(): Promise<void> {
    const run = await runProgram(exampleStack(), ["platform:teamSlackWebhooks"]);
    if (run.error) {
        throw run.error;
    }
    writeBlock(reachDocPath, reachDocCommand, renderReachBlock(run.recording));
    console.log(`${reachDocPath}: written`);
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
