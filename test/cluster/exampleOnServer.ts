// The example stack on a real API server, once per version and process, shared by the cluster
// tier's specs and the attack table's writer: applied as `pulumi up` would, with the kit's cluster
// beside it and the names the server's controllers gave what they made.
import { runProgram } from "../kit/harness";
import { Cluster } from "../kit/cluster";
import { exampleStack, platformCluster, webhookKey } from "../kit/platformCluster";
import { Attack, attacks } from "../kit/tables";
import { ApplyReport, Applier } from "./applyStack";
import { admin, ControlPlane } from "./controlPlane";
import { expandFor } from "./expand";
import { controllerNames, decideOnServer, ServerVerdict } from "./replay";
import { waitForPods } from "./workloads";

export interface ExampleOnServer {
    readonly plane: ControlPlane;
    readonly applier: Applier;
    readonly report: ApplyReport;
    readonly kit: Cluster;
    /** The kit's names for controller-made objects, mapped to the server's. */
    readonly names: ReadonlyMap<string, string>;
}

const built = new Map<ControlPlane, Promise<ExampleOnServer>>();

/** Applies the example stack to `plane` (once) and waits for the controllers' pods. */
export function exampleOnServer(plane: ControlPlane): Promise<ExampleOnServer> {
    let example = built.get(plane);
    if (example === undefined) {
        example = (async () => {
            const applier = new Applier(plane.as(admin));
            const run = await runProgram(exampleStack(), [webhookKey]);
            if (run.error) {
                throw run.error;
            }
            const report = await applier.applyRecording(run.recording, expandFor(plane.version));
            await waitForPods(plane);
            return { plane, applier, report, kit: await platformCluster(), names: await controllerNames(plane) };
        })();
        built.set(plane, example);
    }
    return example;
}

/** One attack as the server answered it, its message in the kit's names (no pod's random suffix). */
export async function attackOnServer(example: ExampleOnServer, attack: Attack): Promise<ServerVerdict> {
    const verdict = await decideOnServer(example.plane, example.applier, example.kit, attack, example.names);
    let reason = verdict.reason;
    // Longest first: a pod's name starts with its ReplicaSet's.
    for (const [kit, real] of [...example.names].sort((a, b) => b[1].length - a[1].length)) {
        reason = reason.split(real).join(kit.slice(kit.indexOf("/") + 1));
    }
    return { ...verdict, reason };
}

/** Every attack of the kit's table, in order. */
export async function attacksOnServer(example: ExampleOnServer): Promise<ServerVerdict[]> {
    const verdicts: ServerVerdict[] = [];
    for (const attack of attacks) {
        verdicts.push(await attackOnServer(example, attack));
    }
    return verdicts;
}
