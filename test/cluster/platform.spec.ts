// The example stack on a real API server of each tested version: every object applied as
// `pulumi up` would, every admission policy type-checked by the server, every Deployment's pods
// admitted, and every request of the kit's tables decided by the server as the kit decides it;
// the attack table in the docs is the servers' answers.
import { strict as assert } from "assert";
import * as fs from "fs";
import { leftToControllers } from "../kit/flux2Rows";
import { blockOf } from "../kit/generatedBlock";
import { attacks, expected } from "../kit/tables";
import { attackDocCommand, attackDocPath, renderAttackBlock } from "./attackDoc";
import { admin, ControlPlane, testedVersions } from "./controlPlane";
import { attackOnServer, ExampleOnServer, exampleOnServer } from "./exampleOnServer";
import { controlPlane } from "./fixture";
import { decideOnServer, ServerVerdict } from "./replay";
import { waitForPods } from "./workloads";

type Json = Record<string, any>;
type Row = Parameters<typeof decideOnServer>[3];

/** Each version's answers to the attacks, for the docs' table. */
const attackAnswers = new Map<string, ServerVerdict[]>();

for (const version of testedVersions()) {
    describe(`the example stack on a real Kubernetes ${version} API server (test/cluster)`, function () {
        this.timeout(240_000);
        let example: ExampleOnServer;

        before(async () => {
            example = await exampleOnServer(await controlPlane(version));
            attackAnswers.set(version, []);
        });

        it("takes every object the program registers, the charts' and Flux's included", () => {
            const { report } = example;
            assert.deepEqual(report.refused, [], `${report.refused.length} refused of ${report.applied + report.refused.length}`);
            assert.ok(report.applied > 100, `only ${report.applied} objects applied`);
        });

        it("finds no type error in any admission policy's CEL, checked against the real schemas", async () => {
            const policies = await waitForTypeChecking(example.plane);
            assert.ok(policies.some((p) => p.metadata.name === "gitops-platform-objects"), "the TeamGuard's policies are there");
            const warnings = policies.flatMap((p) => (p.status.typeChecking?.expressionWarnings ?? [])
                .map((w: Json) => `${p.metadata.name} ${w.fieldRef}: ${w.warning}`));
            assert.deepEqual(warnings, []);
        });

        it("admits the pods of every Deployment, the charts' and Flux's included", async () => {
            const { deployments, missing } = await waitForPods(example.plane);
            assert.ok(deployments >= 10, `only ${deployments} Deployments`);
            assert.deepEqual(missing, []);
        });

        describe("decides each request of the kit's tables as the kit does", () => {
            const agree = (server: ServerVerdict, row: Row, must: "refused" | "allowed") => {
                const given = row.given ? row.given(example.kit) : example.kit;
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
                    it(`${attack.attack} (${attack.deniedBy})`, async () => {
                        const server = await attackOnServer(example, attack);
                        attackAnswers.get(version)!.push(server);
                        agree(server, attack, "refused");
                    });
                }
            });
            describe("what the platform's components send: admitted", () => {
                for (const row of expected) {
                    it(`${row.who}: ${row.does}`, async () => agree(await decideOnServer(example.plane, example.applier, example.kit, row, example.names), row, "allowed"));
                }
            });
            describe("what only a Flux controller refuses: admitted", () => {
                for (const row of leftToControllers) {
                    it(row.attempt, async () => agree(await decideOnServer(example.plane, example.applier, example.kit, row, example.names), row, "allowed"));
                }
            });
        });
    });
}

describe("docs/fence.md (test/cluster)", () => {
    it("holds the attack table as the API servers of every tested version answered it (npm run docs:attacks)", async function () {
        const complete = testedVersions().every((v) => attackAnswers.get(v)?.length === attacks.length);
        if (!complete) {
            // Only a run of every version's attacks can write the table; say so rather than pass.
            this.skip();
        }
        const kit = (await exampleOnServer(await controlPlane(testedVersions()[0]))).kit;
        assert.equal(blockOf(fs.readFileSync(attackDocPath, "utf8"), attackDocCommand), renderAttackBlock(kit, attackAnswers));
    });
});

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
