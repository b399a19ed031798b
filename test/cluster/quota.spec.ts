// A team's object counts on a real API server, for real: a stack of its own with small counts (one
// Flux v2 team) on a control plane of its own, applied as `pulumi up` would (the program's own
// GitRepository and Kustomization created once the custom quota counts them). Then the team's own
// account creates objects for real up to each count, and the next one is refused by the quota, and
// taken once that quota is gone.
// Not a dry run: the quota admission of a dry run writes no usage back (k8s.io/apiserver v0.37.2
// pkg/admission/plugin/resourcequota/controller.go, `checkQuotas`: IsDryRun), so only real creates
// show what a team that keeps creating meets.
import { strict as assert } from "assert";
import { teamServiceAccountName } from "../../components/engines/flux2/fluxInstance";
import { teamFenceNames } from "../../components/shared/names";
import { runProgram } from "../kit/harness";
import { stackFile } from "../kit/stackConfig";
import { Applier, ApplyReport } from "./applyStack";
import { admin, ControlPlane, testedVersions } from "./controlPlane";
import { expandFor } from "./expand";
import { layerOf } from "./replay";

type Json = Record<string, any>;

const team = "counted";
const counts = { secrets: 4, customResources: 3 };
const teamAccount = { username: `system:serviceaccount:${team}:${teamServiceAccountName}`, groups: ["system:serviceaccounts", `system:serviceaccounts:${team}`] };

function stack(): Record<string, unknown> {
    return { ...stackFile("dev"), "platform:teams": [{ name: team, engine: "flux2", quota: counts }] };
}

const kinds = [
    {
        name: "Secrets", quota: teamFenceNames.quota, counted: "count/secrets", collection: `/api/v1/namespaces/${team}/secrets`,
        object: (name: string): Json => ({ apiVersion: "v1", kind: "Secret", metadata: { name }, type: "Opaque", data: { a: "Yg==" } }),
    },
    {
        name: "GitRepositories", quota: teamFenceNames.customQuota, counted: "count/gitrepositories.source.toolkit.fluxcd.io",
        collection: `/apis/source.toolkit.fluxcd.io/v1/namespaces/${team}/gitrepositories`,
        object: (name: string): Json => ({
            apiVersion: "source.toolkit.fluxcd.io/v1", kind: "GitRepository", metadata: { name },
            spec: { url: "ssh://git@github.com/org/elsewhere.git", interval: "5m", ref: { branch: "main" } },
        }),
    },
] as const;

for (const version of testedVersions()) {
    describe(`a team's object counts, created for real, on a real Kubernetes ${version} API server (test/cluster)`, function () {
        this.timeout(180_000);
        let plane: ControlPlane;
        let report: ApplyReport;

        before(async () => {
            plane = await ControlPlane.start(version);
            const run = await runProgram(stack());
            assert.ifError(run.error);
            report = await new Applier(plane.as(admin)).applyRecording(run.recording, expandFor(version));
        });
        after(() => plane?.stop());

        it("takes every object of the stack, the team's GitRepository and Kustomization once the custom quota counts them", () => {
            assert.deepEqual(report.refused, []);
            const waited = report.waits.find((w) => w.object === `ResourceQuota ${team}/${teamFenceNames.customQuota}`);
            assert.ok(waited, "the custom quota was awaited");
        });

        for (const kind of kinds) {
            it(`${kind.name}: the team's account creates them up to ${kind.counted}, and the next one is refused by ${kind.quota}`, async () => {
                const client = plane.as(teamAccount);
                const hard = Number((await quotaOf(plane, kind.quota)).spec.hard[kind.counted]);
                const existing = await settledCount(plane, kind.quota, kind.counted, kind.collection);
                assert.ok(existing >= 1 && existing < hard, `${existing} of ${hard} already: the program's own`);
                for (let i = existing; i < hard; i++) {
                    const created = await client.request("POST", kind.collection, kind.object(`filler-${i}`));
                    assert.equal(created.status, 201, `object ${i + 1} of ${hard}: ${created.body?.message}`);
                }
                assert.equal(await settledCount(plane, kind.quota, kind.counted, kind.collection), hard);
                const refused = await client.request("POST", kind.collection, kind.object("one-too-many"));
                const message: string = refused.body?.message ?? "";
                assert.equal(refused.status, 403, message);
                assert.equal(layerOf(refused.status, message), "ResourceQuota", message);
                assert.match(message, new RegExp(`exceeded quota: ${kind.quota}, requested: ${kind.counted.replace(/\./g, "\\.")}=1, used: [^=]+=${hard}, limited: [^=]+=${hard}`));
                const listed = (await plane.as(admin).must("GET", kind.collection)).items as Json[];
                assert.equal(listed.length, hard, "nothing beyond the count was stored");

                // Without that quota the same request is taken: the quota refused it, nothing else.
                await plane.as(admin).must("DELETE", `/api/v1/namespaces/${team}/resourcequotas/${kind.quota}`);
                const deadline = Date.now() + 10_000;
                let again = await client.request("POST", kind.collection, kind.object("one-too-many"));
                while (again.status === 403 && /exceeded quota/.test(again.body?.message ?? "") && Date.now() < deadline) {
                    // The quota admission reads quotas from its informer, a moment behind the delete.
                    await new Promise((r) => setTimeout(r, 200));
                    again = await client.request("POST", kind.collection, kind.object("one-too-many"));
                }
                assert.equal(again.status, 201, again.body?.message);
            });
        }
    });
}

async function quotaOf(plane: ControlPlane, name: string): Promise<Json> {
    return plane.as(admin).must("GET", `/api/v1/namespaces/${team}/resourcequotas/${name}`);
}

/**
 * The count of the collection once the quota's `status.used` agrees with it: kube-controller-manager
 * recounts from its informers' caches, which may trail the server by a moment.
 */
async function settledCount(plane: ControlPlane, quota: string, counted: string, collection: string): Promise<number> {
    const deadline = Date.now() + 30_000;
    for (;;) {
        const listed = ((await plane.as(admin).must("GET", collection)).items as Json[]).length;
        const used = (await quotaOf(plane, quota)).status?.used?.[counted];
        if (used !== undefined && Number(used) === listed) {
            return listed;
        }
        if (Date.now() > deadline) {
            throw new Error(`${quota} says ${counted}=${used}, the server holds ${listed}`);
        }
        await new Promise((r) => setTimeout(r, 200));
    }
}
