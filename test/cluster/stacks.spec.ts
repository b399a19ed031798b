// Every stack a whole-program spec runs, applied to a real API server: what the unit tier
// registered (npm test has it write each run, test/kit/harness.ts), and the example stacks. One
// control plane of its own, the stacks applied one after another as successive `pulumi up`s of
// different stacks on one cluster would be: each object created, or updated where an earlier
// stack made it. An object already applied exactly so is not sent again: the server would judge
// it as before.
import { strict as assert } from "assert";
import * as fs from "fs";
import { kubernetesVersions } from "../../components/shared/versions";
import { CataloguedStack, Recording, runProgram, unitStacksVariable } from "../kit/harness";
import { exampleStack, webhookKey } from "../kit/platformCluster";
import { stackFile } from "../kit/stackConfig";
import { Applier } from "./applyStack";
import { admin, ControlPlane } from "./controlPlane";
import { expandFor } from "./expand";

/** What npm test's unit tier registered, deduplicated; empty when the tier runs alone. */
function catalogue(): CataloguedStack[] {
    const file = process.env[unitStacksVariable];
    if (file === undefined) {
        return [];
    }
    if (!fs.existsSync(file) || fs.statSync(file).size === 0) {
        throw new Error(`${unitStacksVariable}=${file}, but the unit tier recorded no stack there: run npm test, which runs it first`);
    }
    const seen = new Set<string>();
    return fs.readFileSync(file, "utf8").split("\n").filter((line) => line && !seen.has(line) && seen.add(line)).map((line) => JSON.parse(line) as CataloguedStack);
}

const version = kubernetesVersions.newest;
const stacks = catalogue();
const toRecording = (stack: CataloguedStack) => new Recording(stack.resources.map((r) => ({ ...r, secretInputs: new Set<string>() })));

describe(`every whole-program test stack on a real Kubernetes ${version} API server (test/cluster)`, function () {
    this.timeout(120_000);
    let plane: ControlPlane;
    let applier: Applier;
    const sent = new Set<string>();

    before(async () => {
        plane = await ControlPlane.start(version);
        applier = new Applier(plane.as(admin));
    });
    after(() => plane?.stop());

    for (const [name, config, secretKeys] of [["Pulumi.dev.yaml", stackFile("dev"), []], ["Pulumi.migration.yaml", stackFile("migration"), []], ["the kit's example stack", exampleStack(), [webhookKey]]] as const) {
        it(`${name}: every object taken`, async () => {
            const run = await runProgram(config, [...secretKeys]);
            assert.ifError(run.error);
            const report = await applier.applyRecording(run.recording, expandFor(version), { skip: sent });
            assert.deepEqual(report.refused, []);
        });
    }

    it(`the unit tier's whole-program stacks (${stacks.length}${process.env[unitStacksVariable] ? "" : ": none, the tier runs alone; npm test applies them all"}): every object taken`, async () => {
        for (const [i, stack] of stacks.entries()) {
            const report = await applier.applyRecording(toRecording(stack), expandFor(version), { skip: sent });
            assert.deepEqual(report.refused, [], `stack ${i + 1} of ${stacks.length}, teams [${stack.teams.join(", ")}]`);
        }
    });
});
