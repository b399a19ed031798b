// A team's life on a real API server, one `pulumi up` after another as docs/operations.md and
// docs/engines.md tell them: teams added, a team offboarded in two steps, a key rotated, a team
// moved from Flux v1 to Flux v2. Each run's recording is applied in full, then what it no longer
// has is deleted in the engine's order (lifecycle.ts); the assertions read the server's objects.
//
// On control planes of their own, not the shared fixture: these stacks delete namespaces and
// engines, and their platform objects (defaults, not the example stack's settings) have the same
// names as the example stack's, which platform.spec.ts asserts on.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { engineDeletes } from "../kit/engineDeletes";
import { fakePrivateKey, runProgram } from "../kit/harness";
import { resourceId } from "../kit/runDiff";
import { admin, ControlPlane, testedVersions } from "./controlPlane";
import { ServerStack, Up } from "./lifecycle";

type Json = Record<string, any>;
type Team = Record<string, unknown> & { name: string };

const stack = (teams: Team[]) => ({ "github:owner": "org", "platform:teams": teams });
const types = {
    namespace: "kubernetes:core/v1:Namespace",
    stash: "pulumi:index:Stash",
};

/** A team's service account as the server authenticates it (its token's user and groups). */
const serviceAccount = (namespace: string, name: string) => ({
    username: `system:serviceaccount:${namespace}:${name}`,
    groups: ["system:serviceaccounts", `system:serviceaccounts:${namespace}`],
});

const base64 = (s: string) => Buffer.from(s, "utf8").toString("base64");

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const found = await probe();
        if (found !== undefined) {
            return found;
        }
        if (Date.now() > deadline) {
            throw new Error(`${what}: not within ${timeoutMs} ms`);
        }
        await new Promise((r) => setTimeout(r, 200));
    }
}

for (const version of testedVersions()) {
    describe(`a team's life on a real Kubernetes ${version} API server (test/cluster)`, function () {
        this.timeout(240_000);
        let plane: ControlPlane;
        let movePlane: ControlPlane;
        let server: ServerStack;
        const get = (path: string) => plane.as(admin).request("GET", path);
        const must = (path: string) => plane.as(admin).must("GET", path);

        before(async () => {
            // The move gets a cluster of its own, where its team is the first on Flux v2.
            [plane, movePlane] = await Promise.all([ControlPlane.start(version), ControlPlane.start(version)]);
            server = new ServerStack(plane);
        });
        after(() => {
            plane?.stop();
            movePlane?.stop();
        });

        describe("adding teams (README, Adding a team)", () => {
            let first: Up;
            let second: Up;
            let contentsBefore: Map<string, string>;

            before(async () => {
                first = await server.up(stack([{ name: "life1" }, { name: "life2", engine: "flux2" }]));
                await podsOf(plane, "life1", 1);
                contentsBefore = await contents(server, first);
                second = await server.up(stack([{ name: "life1" }, { name: "life2", engine: "flux2" }, { name: "life3" }, { name: "life4", engine: "flux2" }]));
            });

            it("takes every object of both runs", () => {
                assert.deepEqual(first.report.refused, []);
                assert.deepEqual(second.report.refused, []);
                assert.ok(first.report.applied > 100, `only ${first.report.applied} objects applied`);
            });

            it("only adds: every object of the first run keeps its content and its apply entry, and nothing is deleted", async () => {
                const after = await contents(server, first);
                const changed = [...contentsBefore].filter(([o, c]) => after.get(o) !== c).map(([o]) => o);
                assert.deepEqual(changed, []);
                assert.ok(contentsBefore.size > 100, `only ${contentsBefore.size} objects compared`);
                assert.deepEqual(second.deleted, []);
            });

            it("the new teams' namespaces work: life3's fluxd has its pod, life4's GitRepository and Kustomization exist", async () => {
                const pods = await podsOf(plane, "life3", 1);
                assert.equal(pods[0].metadata.labels["app.kubernetes.io/name"], "flux");
                for (const path of ["/apis/source.toolkit.fluxcd.io/v1/namespaces/life4/gitrepositories/gitops-platform",
                    "/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/life4/kustomizations/gitops-platform"]) {
                    const o = await must(path);
                    assert.equal(o.spec.suspend, undefined, path);
                }
                const namespace = await must("/api/v1/namespaces/life4");
                assert.equal(namespace.status.phase, "Active");
            });
        });

        describe("offboarding in two steps (docs/operations.md, Offboarding a team)", () => {
            let added: Up;
            let offboarding: Up;
            let removed: Up;
            const both = [{ name: "life1" }, { name: "life2", engine: "flux2" }];
            const life3Flux = "/apis/apps/v1/namespaces/life3/deployments/flux";

            before(async () => {
                added = await server.up(stack([...both, { name: "life3" }, { name: "life4", engine: "flux2" }]));
                offboarding = await server.up(stack([...both, { name: "life3", offboard: true }, { name: "life4", engine: "flux2", offboard: true }]));
            });

            it("step 1 stops the sync as each engine defines it: fluxd scaled to 0 (its pod gone), Flux v2's source and apply suspended", async () => {
                assert.deepEqual(offboarding.report.refused, []);
                assert.equal((await must(life3Flux)).spec.replicas, 0);
                await podsOf(plane, "life3", 0);
                for (const path of ["/apis/source.toolkit.fluxcd.io/v1/namespaces/life4/gitrepositories/gitops-platform",
                    "/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/life4/kustomizations/gitops-platform"]) {
                    assert.equal((await must(path)).spec.suspend, true, path);
                }
                assert.equal((await must("/apis/apps/v1/namespaces/life1/deployments/flux")).spec.replicas, 1);
                assert.deepEqual(offboarding.deleted, []);
            });

            it("after step 1, the documented suspension of a Flux v2 team's own Flux objects takes them and leaves the platform's alone", async () => {
                const docs = fs.readFileSync(path.join(__dirname, "..", "..", "docs", "operations.md"), "utf8");
                const block = /```sh\n(team=[^`]*)```/.exec(docs)![1];
                const patched = /for kind in ([^;]+); do/.exec(block)![1].split(/[\s\\]+/).filter((k) => k);
                const annotated = /annotate (\S+)/.exec(block)![1];
                const selector = /-l '([^']+)'/.exec(block)![1];
                // kubectl refuses --all beside a selector (k8s.io/kubectl v0.37.2 pkg/cmd/annotate/annotate.go, "cannot set --all and --selector").
                assert.ok(!block.includes("--all"), block);
                const client = plane.as(admin);
                const resourcePath = async (resource: string, name = "") => {
                    const [plural, ...group] = resource.split(".");
                    const found = await client.request("GET", `/apis/${group.join(".")}`);
                    return found.status === 200 ? `/apis/${group.join(".")}/${found.body.preferredVersion.version}/namespaces/life4/${plural}${name ? `/${name}` : ""}` : undefined;
                };
                // What the team's repo made: a Kustomization and a HelmRelease of its own, and a ResourceSet.
                const own: Array<[string, Json]> = [
                    ["kustomizations.kustomize.toolkit.fluxcd.io", { spec: { interval: "5m", path: "./apps", prune: true, sourceRef: { kind: "GitRepository", name: "gitops-platform" } } }],
                    ["helmreleases.helm.toolkit.fluxcd.io", { spec: { interval: "5m", chartRef: { kind: "OCIRepository", name: "web" } } }],
                    ["resourcesets.fluxcd.controlplane.io", { spec: { resources: [] } }],
                ];
                for (const [resource, body] of own) {
                    const at = (await resourcePath(resource))!;
                    const kind = (await client.must("GET", at.replace(/\/namespaces\/.*/, ""))).resources.find((r: Json) => r.name === resource.split(".")[0]).kind;
                    await client.must("POST", at, { apiVersion: at.split("/").slice(2, 4).join("/"), kind, metadata: { name: "apps" }, ...body });
                }
                // A CRD just established answers 429 while its storage starts.
                const list = async (at: string): Promise<Json[]> => (await until(`a list of ${at}`, async () => {
                    const answer = await client.request("GET", `${at}?labelSelector=${encodeURIComponent(selector)}`);
                    assert.ok(answer.status === 200 || answer.status === 429, `${answer.status} ${answer.body?.message}`);
                    return answer.status === 200 ? answer.body.items as Json[] : undefined;
                }));
                const suspended: string[] = [];
                for (const resource of patched) {
                    const at = await resourcePath(resource);
                    if (at === undefined) {
                        continue; // not installed: kubectl reports it unknown
                    }
                    for (const item of await list(at)) {
                        await client.must("PATCH", `${at}/${item.metadata.name}`, { spec: { suspend: true } }, "merge");
                        suspended.push(`${resource.split(".")[0]}/${item.metadata.name}`);
                    }
                }
                const sets = (await resourcePath(annotated))!;
                for (const item of await list(sets)) {
                    await client.must("PATCH", `${sets}/${item.metadata.name}`, { metadata: { annotations: { "fluxcd.controlplane.io/reconcile": "disabled" } } }, "merge");
                }
                assert.deepEqual(suspended.sort(), ["helmreleases/apps", "kustomizations/apps"]);
                assert.equal((await client.must("GET", (await resourcePath("helmreleases.helm.toolkit.fluxcd.io", "apps"))!)).spec.suspend, true);
                assert.equal((await client.must("GET", `${sets}/apps`)).metadata.annotations["fluxcd.controlplane.io/reconcile"], "disabled");
                // The platform's own Kustomization keeps the one field manager of its suspend: the program's.
                const platform = await client.must("GET", (await resourcePath("kustomizations.kustomize.toolkit.fluxcd.io", "gitops-platform"))!);
                assert.deepEqual(platform.metadata.managedFields.map((m: Json) => m.manager), ["pulumi-kubernetes"]);
            });

            it("step 1 lifts Pulumi's protect from the namespaces (state only: the server knows nothing of it)", () => {
                const protection = (up: Up, team: string) => up.run.run.recording.k8s(types.namespace, undefined, team).protect;
                assert.deepEqual(["life3", "life4"].map((t) => protection(added, t)), [true, true]);
                assert.deepEqual(["life3", "life4"].map((t) => protection(offboarding, t)), [false, false]);
            });

            it("while offboarding, a team's own account still may not delete its namespace (gitops-platform-team-namespaces)", async () => {
                for (const [namespace, account] of [["life3", "flux"], ["life4", "flux-tenant"]]) {
                    const answer = await plane.as(serviceAccount(namespace, account)).request("DELETE", `/api/v1/namespaces/${namespace}?dryRun=All`);
                    assert.equal(answer.status, 403, `${namespace}/${account}: ${answer.status} ${answer.body?.message}`);
                    assert.match(answer.body.message, /ValidatingAdmissionPolicy 'gitops-platform-team-namespaces'/);
                }
            });

            it("an entry removed without step 1: the engine refuses the team's guard and sends no DELETE (Pulumi's protect)", async () => {
                const without = await runProgram(stack(both));
                assert.equal(without.error, undefined);
                const deletes = engineDeletes(added.run.run, without);
                assert.deepEqual(deletes.refused.sort(), ["life3", "life4"].map((t) => `${types.stash}::platform-team-${t}-offboard-first`));
                assert.deepEqual(deletes.deleted, []);
                assert.ok(deletes.spared.includes(`${types.namespace}::platform-team-life3-namespace`));
            });

            describe("step 2: the entries removed", () => {
                before(async () => {
                    removed = await server.up(stack(both));
                });

                it("deletes every object of the two teams, each accepted, the fence before the namespace", () => {
                    const failed = removed.deleted.filter((d) => d.object !== undefined && (d.status! >= 300 || d.message));
                    assert.deepEqual(failed, []);
                    assert.deepEqual(removed.refused, []);
                    assert.deepEqual(removed.deleted.filter((d) => !/::platform-team-life[34](-|$)/.test(d.resource)), []);
                    const at = (object: string) => removed.deleted.findIndex((d) => d.object === object);
                    for (const team of ["life3", "life4"]) {
                        const namespace = at(`Namespace ${team}`);
                        assert.ok(namespace >= 0, `Namespace ${team} deleted`);
                        for (const fence of [`ResourceQuota ${team}/platform-quota`, `LimitRange ${team}/platform-defaults`,
                            `NetworkPolicy ${team}/platform-isolation`, `ContainerResources ${team}`]) {
                            assert.ok(at(fence) >= 0 && at(fence) < namespace, `${fence} before the namespace`);
                        }
                    }
                });

                it("the namespace controller empties and removes each namespace: GET answers 404", async () => {
                    for (const team of ["life3", "life4"]) {
                        assert.equal((await get(`/api/v1/namespaces/${team}`)).status, 404, team);
                        const deletion = removed.deleted.find((d) => d.object === `Namespace ${team}`)!;
                        assert.ok(deletion.goneAfterMs! < 60_000, `${team}: ${deletion.message ?? ""}`);
                    }
                    assert.equal((await get("/api/v1/namespaces/life1")).status, 200);
                    // The team's cluster-wide parts went with it.
                    assert.equal((await get("/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/gitops-platform:flux:life3")).status, 404);
                });
            });
        });

        describe("rotating a key (docs/operations.md, Rotating a deploy key)", () => {
            const secrets = { life1: "/api/v1/namespaces/life1/secrets/flux-git-deploy", life2: "/api/v1/namespaces/life2/secrets/flux-git-ssh" };
            let old: Record<string, Json>;
            let rotated: Up;
            let missing: string[];

            before(async () => {
                old = { life1: await must(secrets.life1), life2: await must(secrets.life2) };
                // Whether the engine's Secret is ever missing while the update runs.
                missing = [];
                let watching = true;
                const watch = (async () => {
                    while (watching) {
                        for (const [team, path] of Object.entries(secrets)) {
                            const answer = await get(path);
                            if (answer.status !== 200 || answer.body.metadata.deletionTimestamp) {
                                missing.push(`${team}: ${answer.status}`);
                            }
                        }
                        await new Promise((r) => setTimeout(r, 20));
                    }
                })();
                try {
                    rotated = await server.up(stack([{ name: "life1", keyVersion: 2 }, { name: "life2", engine: "flux2", keyVersion: 2 }]));
                } finally {
                    watching = false;
                    await watch;
                }
            });

            it("replaces the key Secret in place: the same object (uid), the new private key, never missing", async () => {
                assert.deepEqual(rotated.report.refused, []);
                assert.deepEqual(missing, []);
                for (const team of ["life1", "life2"] as const) {
                    const now = await must(secrets[team]);
                    assert.equal(now.metadata.uid, old[team].metadata.uid, team);
                    assert.notEqual(now.data.identity, old[team].data.identity, team);
                    assert.equal(now.data.identity, base64(fakePrivateKey(`platform-team-${team}-repo-key-v2`)), team);
                }
            });

            it("deletes only the old keypair and deploy key, after everything else, and no Kubernetes object", () => {
                assert.deepEqual(rotated.deleted.filter((d) => d.object !== undefined), []);
                assert.deepEqual(rotated.deleted.map((d) => d.resource).sort(), ["life1", "life2"].flatMap((t) => [
                    `github:index/repositoryDeployKey:RepositoryDeployKey::platform-team-${t}-repo-deploy-key`,
                    `tls:index/privateKey:PrivateKey::platform-team-${t}-repo-key`,
                ]).sort());
            });

            it("restarts fluxd onto the new key: a new ReplicaSet whose pods carry the new fingerprint", async () => {
                const deployment = rotated.run.run.recording.k8s("kubernetes:apps/v1:Deployment", "life1", "flux");
                assert.ok(deployment.dependsOn.includes("platform-team-life1-flux-git-key"), "the Deployment waits for the Secret's update");
                const pods = await podsOf(plane, "life1", 1, (p) => p.metadata.annotations?.["gitops-platform/git-key-fingerprint"] === "SHA256:mock-platform-team-life1-repo-key-v2");
                assert.equal(pods.length, 1);
            });
        });

        describe("moving a team from Flux v1 to Flux v2 (docs/engines.md), the first on Flux v2", () => {
            let moveServer: ServerStack;
            let onFlux1: Up;
            let moved: Up;
            let namespaceUid: string;
            const seen: string[] = [];
            const v1Objects = ["/apis/apps/v1/namespaces/life7/deployments/flux", "/api/v1/namespaces/life7/serviceaccounts/flux",
                "/apis/rbac.authorization.k8s.io/v1/namespaces/life7/rolebindings/flux", "/api/v1/namespaces/life7/configmaps/flux-config",
                "/api/v1/namespaces/life7/secrets/flux-git-deploy", "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/gitops-platform:flux:life7"];
            const v2Objects = ["/api/v1/namespaces/life7/serviceaccounts/flux-tenant", "/apis/rbac.authorization.k8s.io/v1/namespaces/life7/rolebindings/flux-tenant",
                "/api/v1/namespaces/life7/secrets/flux-git-ssh", "/apis/source.toolkit.fluxcd.io/v1/namespaces/life7/gitrepositories/gitops-platform",
                "/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/life7/kustomizations/gitops-platform"];

            before(async () => {
                moveServer = new ServerStack(movePlane);
                const client = movePlane.as(admin);
                onFlux1 = await moveServer.up(stack([{ name: "life7" }]));
                namespaceUid = (await client.must("GET", "/api/v1/namespaces/life7")).metadata.uid;
                let watching = true;
                const watch = (async () => {
                    while (watching) {
                        const answer = await client.request("GET", "/api/v1/namespaces/life7");
                        seen.push(answer.status !== 200 ? `${answer.status}` : answer.body.metadata.deletionTimestamp ? "terminating" : answer.body.metadata.uid);
                        await new Promise((r) => setTimeout(r, 50));
                    }
                })();
                try {
                    moved = await moveServer.up(stack([{ name: "life7", engine: "flux2" }]));
                } finally {
                    watching = false;
                    await watch;
                }
            });

            it("takes every object of the move, Flux v2's install included", () => {
                assert.deepEqual(onFlux1.report.refused, []);
                assert.deepEqual(moved.report.refused, []);
            });

            it("deletes the team's Flux v1 objects, each accepted, and nothing else in the cluster", async () => {
                const inCluster = moved.deleted.filter((d) => d.object !== undefined);
                assert.deepEqual(inCluster.filter((d) => d.status! >= 300 || d.message), []);
                assert.deepEqual(inCluster.map((d) => d.object).sort(), [
                    "ClusterRoleBinding gitops-platform:flux:life7", "ConfigMap life7/flux-config", "Deployment life7/flux",
                    "RoleBinding life7/flux", "Secret life7/flux-git-deploy", "ServiceAccount life7/flux",
                ]);
                const client = movePlane.as(admin);
                for (const path of v1Objects) {
                    assert.equal((await client.request("GET", path)).status, 404, path);
                }
            });

            it("leaves the team's Flux v2 objects in place", async () => {
                const client = movePlane.as(admin);
                for (const path of v2Objects) {
                    assert.equal((await client.request("GET", path)).status, 200, path);
                }
            });

            it("keeps the team's namespace throughout: the same object, never terminating", () => {
                assert.ok(seen.length > 10, `only ${seen.length} looks`);
                assert.deepEqual([...new Set(seen)], [namespaceUid]);
            });
        });
    });
}

/** The pods of a namespace once there are `count` of them (matching `which`), as the controllers make them. */
async function podsOf(plane: ControlPlane, namespace: string, count: number, which: (pod: Json) => boolean = () => true): Promise<Json[]> {
    return until(`${count} pods in ${namespace}`, async () => {
        const pods = ((await plane.as(admin).must("GET", `/api/v1/namespaces/${namespace}/pods`)).items as Json[])
            .filter((p) => !p.metadata.deletionTimestamp && which(p));
        return pods.length === count ? pods : undefined;
    });
}

/**
 * What the program set on every object a run put in the cluster, by kind, namespace and name: the
 * object without its status and bookkeeping (resourceVersion; managedFields but for the program's
 * own apply entry, whose time moves when an apply changes a field). Not the resourceVersion, which
 * the controllers' status writes move (a Deployment's replicas, a policy's type checking).
 */
async function contents(server: ServerStack, up: Up): Promise<Map<string, string>> {
    const client = server.plane.as(admin);
    const found = new Map<string, string>();
    for (const created of up.run.run.recording.resources) {
        for (const o of server.objectsOf(created)) {
            const answer = await client.request("GET", await server.applier.mapper.pathOf(o));
            const key = `${o.kind} ${o.metadata.namespace ?? ""}/${o.metadata.name} (${resourceId(created)})`;
            if (answer.status !== 200) {
                found.set(key, `${answer.status}`);
                continue;
            }
            const object = structuredClone(answer.body) as Json;
            const applied = (object.metadata.managedFields as Json[]).filter((m) => m.manager === "pulumi-kubernetes" && m.operation === "Apply");
            delete object.status;
            delete object.metadata.resourceVersion;
            delete object.metadata.managedFields;
            found.set(key, JSON.stringify({ object, applied }));
        }
    }
    return found;
}
