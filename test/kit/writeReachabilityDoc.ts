// Writes the reachability table of docs/tenant-isolation.md (see reachabilityDoc.ts).
import { runProgram } from "../harness";
import { writeBlock } from "./generatedBlock";
import { exampleStack, webhookKey } from "./platformCluster";
import { reachability } from "./reachability";
import { reachabilityDocCommand, reachabilityDocPath, renderReachabilityBlock } from "./reachabilityDoc";

void runProgram(exampleStack(), [webhookKey]).then((run) => {
    if (run.error) {
        throw run.error;
    }
    writeBlock(reachabilityDocPath, reachabilityDocCommand, renderReachabilityBlock(reachability(run.recording)));
    console.log(`${reachabilityDocPath}: the reachability table written`);
});
