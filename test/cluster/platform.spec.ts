// The example stack on a real API server: every object applied as `pulumi up` would, every
// admission policy type-checked by the server, every Deployment's pods admitted, and every request
// of the kit's tables decided by the server as the kit decides it.
import { strict as assert } from "assert";
import { runProgram } from "../harness";
import { Cluster } from "../kit/cluster";
import { leftToControllers } from "../kit/flux2Rows";
import { exampleStack, platformCluster, webhookKey } from "../kit/platformCluster";
import { attacks, expected } from "../kit/tables";
import { ApplyReport, Applier } from "./applyStack";
import { admin, ControlPlane } from "./controlPlane";
import { expandFor } from "./expand";
import { controlPlane, testedVersions } from "./fixture";
import { controllerNames, decideOnServer, ServerVerdict } from "./replay";
import { waitForPods } from "./workloads";

type Json = Record<string, any>;

for (const version of testedVersions()) {
    describe(`the example stack on a real Kubernetes ${version} API server (test/cluster)`, function () {
        this.timeout(240_000);
        let plane: ControlPlane;
        let applier: Applier;
        let report: ApplyReport;
        let kit: Cluster;
        let names: Map<string, string>;

        before(async () => {
            plane = await controlPlane(version);
            applier = new Applier(plane.as(admin));
            const run = await runProgram(exampleStack(), [webhookKey]);
            if (run.error) {
                throw run.error;
            }
            report = await applier.applyRecording(run.recording, expandFor(version));
            kit = await platformCluster();
        });

        it("takes every object the program registers, the charts' and Flux's included", () => {
            assert.deepEqual(report.refused, [], `${report.refused.length} refused of ${report.applied + report.refused.length}`);
            assert.ok(report.applied > 100, `only ${report.applied} objects applied`);
        });

        it("finds no type error in any admission policy's CEL, checked against the real schemas", async () => {
            const policies = await waitForTypeChecking(plane);
            assert.ok(policies.length >= 3);
            const warnings = policies.flatMap((p) => (p.status.typeChecking?.expressionWarnings ?? [])
                .map((w: Json) => `${p.metadata.name} ${w.fieldRef}: ${w.warning}`));
            assert.deepEqual(warnings, []);
        });

        it("admits the pods of every Deployment, the charts' and Flux's included", async () => {
            const { deployments, missing } = await waitForPods(plane);
            assert.ok(deployments >= 10, `only ${deployments} Deployments`);
            assert.deepEqual(missing, []);
        });

        describe("decides each request of the kit's tables as the kit does", () => {
            before(async () => {
                names = await controllerNames(plane);
            });
            const agree = async (row: Parameters<typeof decideOnServer>[3], must: "refused" | "allowed") => {
                const server: ServerVerdict = await decideOnServer(plane, applier, kit, row, names);
                const given = row.given ? row.given(kit) : kit;
                const modelled = given.decide(row.request(given));
                assert.equal(server.allowed, modelled.allowed,
                    `the server ${server.allowed ? "allowed" : `refused (${server.layer}: ${server.reason})`}, the kit ${modelled.allowed ? "allowed" : `refused (${modelled.layer})`}`);
                assert.equal(server.allowed, must === "allowed", `${server.layer}: ${server.reason}`);
                if (!server.allowed) {
                    assert.equal(server.layer, modelled.layer, server.reason);
                }
            };
            describe("attacks: refused, by the layer the kit names", () => {
                for (const attack of attacks) {
                    it(`${attack.attack} (${attack.deniedBy})`, () => agree(attack, "refused"));
                }
            });
            describe("what the platform's components send: admitted", () => {
                for (const row of expected) {
                    it(`${row.who}: ${row.does}`, () => agree(row, "allowed"));
                }
            });
            describe("what only a Flux controller refuses: admitted", () => {
                for (const row of leftToControllers) {
                    it(row.attempt, () => agree(row, "allowed"));
                }
            });
        });
    });
}

/** Each ValidatingAdmissionPolicy once the controller manager has type-checked its generation. */
async function waitForTypeChecking(plane: ControlPlane): Promise<Json[]> {
    const deadline = Date.now() + 30_000;
    for (;;) {
        const policies = (await plane.as(admin).must("GET", "/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies")).items as Json[];
        if (policies.every((p) => p.status?.observedGeneration === p.metadata.generation)) {
            return policies;
        }
        if (Date.now() > deadline) {
            throw new Error(`not type-checked within 30 s: ${policies.filter((p) => p.status?.observedGeneration !== p.metadata.generation).map((p) => p.metadata.name).join(", ")}`);
        }
        await new Promise((r) => setTimeout(r, 200));
    }
}
