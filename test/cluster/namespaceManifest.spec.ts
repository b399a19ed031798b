// A team repo that carries its own Namespace manifest, through every engine the team meets, on a
// real API server: each engine applies it as the principal that really sends it, and the team's
// Namespace policy (gitops-platform-team-namespaces) decides. The stack's cluster repo runs Flux v2,
// so the team's move from Flux v1 is Flux v1's last repo leaving: its bookkeeping keys are no longer
// the TeamGuard's, but they are still on the Namespace when kustomize-controller takes it over.
import { strict as assert } from "assert";
import { shardingLabel, teamServiceAccountName } from "../../components/engines/flux2/fluxInstance";
import { syncObjectName } from "../../components/engines/flux2/fluxV2";
import { fluxBookkeeping } from "../../components/engines/flux1/admission";
import { systemNamespace } from "../../components/shared/names";
import { fluxControllerAccounts } from "../kit/fixtures/flux2";
import { Answer } from "./apiClient";
import { admin, ControlPlane, testedVersions } from "./controlPlane";
import { ServerStack } from "./lifecycle";

type Json = Record<string, any>;

const team = "life9";
const path = `/api/v1/namespaces/${team}`;
const stack = (entry: Json) => ({ "github:owner": "org", "platform:engine": "flux2", "platform:teams": [{ name: team, ...entry }] });
/** The manifest in the team's repo: its own Namespace, nothing set on it. */
const manifest = { apiVersion: "v1", kind: "Namespace", metadata: { name: team } };

const serviceAccount = (namespace: string, name: string) => ({
    username: `system:serviceaccount:${namespace}:${name}`,
    groups: ["system:serviceaccounts", `system:serviceaccounts:${namespace}`],
});
const fluxd = serviceAccount(team, "flux");
const kustomizeController = serviceAccount(systemNamespace, fluxControllerAccounts.kustomize);
/** kustomize-controller acting as the team's account (fluxcd/pkg runtime/v0.110.1 runtime/client/impersonator.go). */
const asTenant = { "Impersonate-User": `system:serviceaccount:${team}:${teamServiceAccountName}` };
/** Its owner labels (kustomize-controller v1.9.4 internal/controller/kustomization_controller.go, SetOwnerLabels). */
const ownerLabels = { "kustomize.toolkit.fluxcd.io/name": syncObjectName, "kustomize.toolkit.fluxcd.io/namespace": team };

/** What kubectl apply and fluxd put on it (fluxcd/flux 1.25.4 pkg/cluster/kubernetes/sync.go, applyMetadata). */
const fluxV1Labels = { [fluxBookkeeping.labels[0]]: "sha256.life9" };
const fluxV1Annotations = { [fluxBookkeeping.annotations[0]]: JSON.stringify(manifest), [fluxBookkeeping.annotations[1]]: "0123abcd" };

const pointer = (key: string) => key.replace(/~/g, "~0").replace(/\//g, "~1");

for (const version of testedVersions()) {
    describe(`a team repo with its own Namespace manifest, on a real Kubernetes ${version} API server (test/cluster)`, function () {
        this.timeout(240_000);
        let plane: ControlPlane;
        let server: ServerStack;
        const namespace = async (): Promise<Json> => plane.as(admin).must("GET", path);

        /** kustomize-controller's apply of the manifest, server-side, as the team's account (fluxcd/pkg ssa/v0.76.1 ssa/manager_apply.go). */
        const applyAsTenant = (labels: Record<string, string>): Promise<Answer> => plane.as(kustomizeController).request("PATCH",
            `${path}?fieldManager=${fluxControllerAccounts.kustomize}&force=true`,
            { ...manifest, metadata: { ...manifest.metadata, labels: { ...labels, ...ownerLabels } } }, "apply", asTenant);

        const admitted = (answer: Answer) => assert.ok(answer.status < 300, `${answer.status} ${answer.body?.message}`);

        /**
         * After an `up` that changed the Namespace policy: until the API server's admission plugin
         * has the new one (it reads policies from an informer), a refusal still quotes the old
         * list of keys. Waits until a refused label names the list the stored policy names.
         */
        const policyInForce = async (): Promise<void> => {
            const stored = await plane.as(admin).must("GET", "/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies/gitops-platform-team-namespaces");
            const keys = /\(only ([^)]*)\)/.exec(JSON.stringify(stored.spec.validations))![1];
            const deadline = Date.now() + 30_000;
            for (;;) {
                const probe = await plane.as(kustomizeController).request("PATCH", `${path}?dryRun=All`, { metadata: { labels: { probe: "x" } } }, "merge", asTenant);
                if (probe.status === 403 && String(probe.body?.message).includes(`(only ${keys})`)) {
                    return;
                }
                assert.ok(Date.now() < deadline, `the server still answers ${probe.status} ${probe.body?.message}`);
                await new Promise((r) => setTimeout(r, 200));
            }
        };

        before(async () => {
            plane = await ControlPlane.start(version);
            server = new ServerStack(plane);
        });
        after(() => plane?.stop());

        it("on Flux v1: fluxd applies it with kubectl's and its own bookkeeping (a patch of the live object, kubectl apply)", async () => {
            await server.up(stack({ engine: "flux1" }));
            // kubectl 1.21's client-side apply sends a strategic merge patch of what changed
            // (fluxd runs `kubectl apply`, pkg/cluster/kubernetes/sync.go Kubectl.apply).
            admitted(await plane.as(fluxd).request("PATCH", path,
                { metadata: { labels: fluxV1Labels, annotations: fluxV1Annotations } }, "strategic"));
            const live = await namespace();
            assert.equal(live.metadata.labels[fluxBookkeeping.labels[0]], "sha256.life9");
        });

        describe("moved to Flux v2 as Flux v1's last repo", () => {
            before(async () => {
                await server.up(stack({ engine: "flux2" }));
                await policyInForce();
            });

            it("Flux v1 is gone from the cluster: its memcached and the team's fluxd", async () => {
                assert.equal((await plane.as(admin).request("GET", `/apis/apps/v1/namespaces/${systemNamespace}/deployments/flux-memcached`)).status, 404);
                assert.equal((await plane.as(admin).request("GET", `/apis/apps/v1/namespaces/${team}/deployments/flux`)).status, 404);
            });

            it("kustomize-controller, as the team's account, removes what kubectl and fluxd left (its cleanup patch), then applies the manifest", async () => {
                // fluxcd/pkg ssa/v0.76.1 ssa/manager_apply.go cleanupMetadata: a JSON patch removing each
                // key of applyOpts.Cleanup present on the live object (kustomize-controller v1.9.4).
                const live = await namespace();
                const remove = [
                    ...Object.keys(fluxV1Annotations).filter((k) => k in (live.metadata.annotations ?? {})).map((k) => `/metadata/annotations/${pointer(k)}`),
                    ...Object.keys(fluxV1Labels).filter((k) => k in (live.metadata.labels ?? {})).map((k) => `/metadata/labels/${pointer(k)}`),
                ];
                assert.equal(remove.length, 3, JSON.stringify(live.metadata));
                admitted(await plane.as(kustomizeController).request("PATCH", `${path}?fieldManager=${fluxControllerAccounts.kustomize}`,
                    remove.map((p) => ({ op: "remove", path: p })), "jsonPatch", asTenant));
                admitted(await applyAsTenant({}));
                const after = await namespace();
                assert.deepEqual(Object.keys(after.metadata.annotations ?? {}).filter((k) => k in fluxV1Annotations), []);
                assert.equal(after.metadata.labels["kustomize.toolkit.fluxcd.io/name"], syncObjectName);
            });
        });

        describe("with dedicated controllers", () => {
            before(async () => {
                await server.up(stack({ engine: "flux2", flux: { dedicatedControllers: true } }));
                await policyInForce();
            });

            it("the Kustomization's commonMetadata puts the team's shard label on its Namespace too: admitted", async () => {
                const kustomization = await plane.as(admin).must("GET", `/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/${team}/kustomizations/${syncObjectName}`);
                assert.deepEqual(kustomization.spec.commonMetadata, { labels: { [shardingLabel]: team } });
                admitted(await applyAsTenant({ [shardingLabel]: team }));
                assert.equal((await namespace()).metadata.labels[shardingLabel], team);
            });

            it("back on the shared controllers, the same apply without it takes the label off: admitted", async () => {
                await server.up(stack({ engine: "flux2" }));
                await policyInForce();
                admitted(await applyAsTenant({}));
                assert.equal((await namespace()).metadata.labels[shardingLabel], undefined);
            });

            it("any other label the manifest carries is still refused", async () => {
                const answer = await applyAsTenant({ "pod-security.kubernetes.io/enforce": "privileged" });
                assert.equal(answer.status, 403, answer.body?.message);
                assert.match(answer.body.message, /ValidatingAdmissionPolicy 'gitops-platform-team-namespaces'/);
            });
        });
    });
}
