// Writes the reachability table of docs/fence.md (see reachabilityDoc.ts).
import { runProgram } from "./harness";
import { writeBlock } from "./generatedBlock";
import { webhookKey } from "./platformCluster";
import { reachability, reachabilityStack } from "./reachability";
import { reachabilityDocCommand, reachabilityDocPath, renderReachabilityBlock } from "./reachabilityDoc";

void runProgram(reachabilityStack(), [webhookKey]).then((run) => {
    if (run.error) {
        throw run.error;
    }
    writeBlock(reachabilityDocPath, reachabilityDocCommand, renderReachabilityBlock(reachability(run.recording)));
    console.log(`${reachabilityDocPath}: the reachability table written`);
});
