import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { fluxV1Engine } from "../../components/engines/flux1/engine";
import { fluxV2Engine } from "../../components/engines/flux2/engine";
import { defaultShardResources } from "../../components/engines/flux2/settings";
import { fluxV1Image, memcachedImage } from "../../components/shared/versions";
import { githubKnownHosts } from "../../components/github/knownHosts";
import { Created, Recording, record } from "../kit/harness";
import { buildFluxV2, privateKeyText, settings, shared, syncRepo, types, webhookText } from "../kit/flux2Fixture";

const team1 = { scope: "namespace", namespace: "team1" } as const;
const clusterRepo = { scope: "cluster", namespace: "flux-system" } as const;

function inNamespace(recording: Recording, namespace: string): Created[] {
    return recording.resources.filter((r) => r.inputs.metadata?.namespace === namespace);
}

describe("Flux v2 sync of a team's repo", () => {
    it("is objects only: an account bound to the team role in its namespace, the key, a GitRepository, a Kustomization", async () => {
        const recording = await buildFluxV2(shared(), [team1]);
        assert.deepEqual(inNamespace(recording, "team1").map((r) => `${r.type.split(":").pop()}/${r.inputs.metadata.name}`).sort(), [
            "GitRepository/gitops-platform", "Kustomization/gitops-platform", "RoleBinding/flux-tenant", "Secret/flux-git-ssh",
            "ServiceAccount/flux-tenant",
        ]);
        const binding = recording.k8s(types.roleBinding, "team1", "flux-tenant");
        assert.deepEqual(binding.inputs.roleRef, { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "gitops-platform:flux2-tenant" });
        assert.deepEqual(binding.inputs.subjects, [{ kind: "ServiceAccount", name: "flux-tenant", namespace: "team1" }]);
        assert.deepEqual(recording.ofType(types.clusterRoleBinding), [], "a team's account has no right outside its namespace");
    });

    it("runs no pod in the team's namespace, so asks nothing of the team's quota or Pod Security", async () => {
        const recording = await buildFluxV2(shared(), [team1]);
        const workloads = /:(Pod|Deployment|StatefulSet|DaemonSet|ReplicaSet|Job|CronJob)$/;
        assert.deepEqual(recording.resources.filter((r) => workloads.test(r.type)), []);
        assert.equal(fluxV2Engine.traits.teamFootprint(settings()), undefined);
        assert.equal(fluxV2Engine.traits.teamFootprint(settings({ dedicatedControllers: { name: "team1", resources: defaultShardResources } })), undefined);
    });

    it("fetches the team's branch over SSH with the key Secret, and applies it as the team's account into its namespace", async () => {
        const recording = await buildFluxV2(shared(), [{ ...team1, settings: { interval: "2m", timeout: "90s" } }]);
        const source = recording.k8s(types.gitRepository, "team1", "gitops-platform");
        assert.deepEqual(source.inputs.spec, {
            url: "ssh://git@github.com/org/dev-team1.git",
            ref: { branch: "main" },
            secretRef: { name: "flux-git-ssh" },
            interval: "2m",
        });
        const kustomization = recording.k8s(types.kustomization, "team1", "gitops-platform");
        assert.deepEqual(kustomization.inputs.spec, {
            sourceRef: { kind: "GitRepository", name: "gitops-platform" },
            path: "./",
            prune: true,
            serviceAccountName: "flux-tenant",
            interval: "2m",
            timeout: "90s",
            targetNamespace: "team1",
            // Moving back to Flux v1 must not prune the team's workloads and volumes (issue 22, defect 8).
            deletionPolicy: "Orphan",
        });
    });

    it("deleted while it runs (the team moving back to Flux v1), deletes nothing the team's repo made", async () => {
        // kustomize-controller v1.9.4 internal/controller/kustomization_controller.go
        // `finalizerShouldDeleteResources`, for a Kustomization that has applied something.
        const prunesOnDeletion = (spec: { suspend?: boolean; prune: boolean; deletionPolicy?: string }) => !spec.suspend &&
            ({ MirrorPrune: spec.prune, Delete: true, WaitForTermination: true } as Record<string, boolean>)[spec.deletionPolicy ?? "MirrorPrune"] === true;
        const recording = await buildFluxV2(shared(), [team1]);
        assert.equal(prunesOnDeletion(recording.k8s(types.kustomization, "team1", "gitops-platform").inputs.spec), false);
        assert.equal(prunesOnDeletion({ prune: true, deletionPolicy: "WaitForTermination" }), true, "what the platform set before");
    });

    it("keeps the private key secret from config to the Secret, next to GitHub's host keys", async () => {
        const recording = await buildFluxV2(shared(), [team1]);
        const secret = recording.k8s(types.secret, "team1", "flux-git-ssh");
        assert.deepEqual(secret.inputs.stringData, { identity: privateKeyText, known_hosts: githubKnownHosts });
        assert.ok(secret.secretInputs.has("stringData"), "the private key must be a secret input");
    });

    it("lets Flux prune under the team's identity before the account, its binding and the key go", async () => {
        const recording = await buildFluxV2(shared(), [team1]);
        const kustomization = recording.k8s(types.kustomization, "team1", "gitops-platform");
        for (const part of ["sa", "role-binding", "git-key", "source"]) {
            assert.ok(kustomization.dependsOn.includes(`team1-flux2-${part}`), `the Kustomization must depend on team1-flux2-${part}`);
        }
        assert.ok(kustomization.dependsOn.includes("platform-flux2-instance"), "Flux's kinds exist once the FluxInstance is ready");
        assert.ok(recording.k8s(types.gitRepository, "team1", "gitops-platform").dependsOn.includes("team1-flux2-git-key"));
    });

    it("is one FluxV2 component whose children are all named after it", async () => {
        const recording = await buildFluxV2(shared(), [{ ...team1, alertsChannel: "team1-deploys" }]);
        assert.deepEqual(recording.ofType("platform:index:FluxV2").map((r) => r.name), ["team1-flux2"]);
        for (const resource of inNamespace(recording, "team1")) {
            assert.match(resource.name, /^team1-flux2-/);
        }
    });
});

describe("Flux v2 deploy keys and image automation", () => {
    it("asks for a read-only key, unless the repo automates images", () => {
        assert.equal(fluxV2Engine.traits.keyWritable(settings()), false);
        assert.equal(fluxV2Engine.traits.keyWritable(settings({ imageAutomation: true })), true);
    });

    it("refuses a repo that automates images when the image controllers are not installed", async () => {
        await assert.rejects(buildFluxV2(shared(), [{ ...team1, settings: { imageAutomation: true } }]), /image automation controllers are not installed/);
        await buildFluxV2(shared({ imageAutomation: true }), [{ ...team1, settings: { imageAutomation: true } }]);
    });
});

describe("Flux v2 dedicated controllers", () => {
    const shard = { name: "team1", resources: defaultShardResources };

    it("labels the team's source and Kustomization, and what the Kustomization applies, with the team's shard", async () => {
        const recording = await buildFluxV2(shared({ shards: [shard] }), [{ ...team1, settings: { dedicatedControllers: shard } }]);
        for (const type of [types.gitRepository, types.kustomization]) {
            assert.equal(recording.k8s(type, "team1", "gitops-platform").inputs.metadata.labels["sharding.fluxcd.io/key"], "team1");
        }
        assert.deepEqual(recording.k8s(types.kustomization, "team1", "gitops-platform").inputs.spec.commonMetadata,
            { labels: { "sharding.fluxcd.io/key": "team1" } });
    });

    it("leaves the objects of a team without them to the shared controllers", async () => {
        const recording = await buildFluxV2(shared({ shards: [shard] }), [team1]);
        for (const resource of recording.resources) {
            assert.equal(resource.inputs.metadata?.labels?.["sharding.fluxcd.io/key"], undefined, `${resource.name} must not be sharded`);
        }
        assert.equal(recording.k8s(types.kustomization, "team1", "gitops-platform").inputs.spec.commonMetadata, undefined);
    });

    it("refuses a shard that was not installed", async () => {
        await assert.rejects(buildFluxV2(shared(), [{ ...team1, settings: { dedicatedControllers: shard } }]), /shard "team1" is not installed/);
    });
});

describe("Flux v2 notifications", () => {
    it("reports the sync's failures to the team's Slack channel, the webhook a secret in a Secret", async () => {
        const recording = await buildFluxV2(shared(), [{ ...team1, alertsChannel: "team1-deploys" }]);
        const webhook = recording.k8s(types.secret, "team1", "flux-slack-webhook");
        assert.deepEqual(webhook.inputs.stringData, { address: webhookText });
        assert.ok(webhook.secretInputs.has("stringData"));
        assert.deepEqual(recording.k8s(types.provider, "team1", "flux-slack").inputs.spec,
            { type: "slack", channel: "team1-deploys", secretRef: { name: "flux-slack-webhook" } });
        assert.deepEqual(recording.k8s(types.alert, "team1", "gitops-platform").inputs.spec, {
            providerRef: { name: "flux-slack" },
            eventSeverity: "error",
            eventSources: [{ kind: "GitRepository", name: "gitops-platform" }, { kind: "Kustomization", name: "gitops-platform" }],
        });
        const kustomization = recording.k8s(types.kustomization, "team1", "gitops-platform");
        assert.ok(kustomization.dependsOn.includes("team1-flux2-alert"), "the alert outlives the pruning, to report it");
    });

    it("creates no notification objects without a webhook", async () => {
        const recording = await buildFluxV2(shared(), [team1]);
        assert.deepEqual(recording.ofType(types.provider), []);
        assert.deepEqual(recording.ofType(types.alert), []);
        assert.throws(() => recording.k8s(types.secret, "team1", "flux-slack-webhook"));
    });

    for (const plainCredentials of [false, true]) {
        it(`keeps the private key and the webhook in secret Secret data only (handed over ${plainCredentials ? "as plain values" : "as secrets"})`, async () => {
            const recording = await buildFluxV2(shared(), [
                { ...team1, alertsChannel: "c", plainCredentials },
                { ...clusterRepo, alertsChannel: "alerts", plainCredentials },
            ]);
            const holders: string[] = [];
            for (const resource of recording.resources) {
                for (const [key, value] of Object.entries(resource.inputs)) {
                    const text = JSON.stringify(value) ?? "";
                    if (text.includes("FLUX2-TEAM-KEY") || text.includes("FLUX2SECRET")) {
                        holders.push(`${resource.type} ${resource.inputs.metadata?.name}.${key}${resource.secretInputs.has(key) ? " (secret)" : ""}`);
                    }
                }
            }
            assert.deepEqual(holders.sort(), [
                `${types.secret} flux-git-ssh.stringData (secret)`, `${types.secret} flux-git-ssh.stringData (secret)`,
                `${types.secret} flux-slack-webhook.stringData (secret)`, `${types.secret} flux-slack-webhook.stringData (secret)`,
            ]);
        });
    }
});

describe("Flux v2 sync of the cluster admins' repo", () => {
    it("applies the repo's cluster directory as an account of its own with cluster-admin", async () => {
        const recording = await buildFluxV2(shared(), [clusterRepo]);
        const binding = recording.k8s(types.clusterRoleBinding, undefined, "gitops-platform:flux2-cluster-sync");
        assert.deepEqual(binding.inputs.roleRef, { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" });
        assert.deepEqual(binding.inputs.subjects, [{ kind: "ServiceAccount", name: "flux-cluster-sync", namespace: "flux-system" }]);
        assert.deepEqual(recording.ofType(types.roleBinding), []);
        const spec = recording.k8s(types.kustomization, "flux-system", "gitops-platform").inputs.spec;
        assert.equal(spec.serviceAccountName, "flux-cluster-sync", "under the lockdown the default account has no rights");
        assert.equal(spec.path, "./cluster");
        assert.equal(spec.targetNamespace, undefined);
        assert.equal(spec.deletionPolicy, "Orphan", "removing the platform must not delete the cluster's CRDs");
        assert.ok(recording.k8s(types.kustomization, "flux-system", "gitops-platform").dependsOn.includes("flux-system-flux2-cluster-role-binding"));
    });
});

describe("Flux v2 next to Flux v1 in flux-system", () => {
    it("names nothing as Flux v1 does, so a stack can run both while teams move", async () => {
        const { recording } = await record(() => {
            const v1 = fluxV1Engine.install("platform", { namespace: "flux-system", settings: { image: memcachedImage, maxMemoryMb: 512 } }, {});
            const v2 = fluxV2Engine.install("platform", { namespace: "flux-system", settings: shared({ networkPolicy: false }) }, {});
            const git = (repo: string) => ({
                url: `git@github.com:org/${repo}.git`, branch: "main", path: "", privateKey: pulumi.secret(privateKeyText),
                keyFingerprint: "SHA256:k", knownHosts: githubKnownHosts,
            });
            const v1Settings = { image: fluxV1Image, gitPollInterval: "5m", syncInterval: "5m", args: [] };
            v1.sync("cluster-flux1", { namespace: "flux-system", scope: "cluster", git: git("dev-cluster"), settings: v1Settings }, {});
            syncRepo(v2, clusterRepo);
            // A team moving: its Flux v1 parts and its Flux v2 parts exist together for one update.
            v1.sync("team1-flux1", { namespace: "team1", scope: "namespace", git: git("dev-team1"), settings: v1Settings }, {});
            syncRepo(v2, team1);
        });
        const seen = new Map<string, string>();
        for (const resource of recording.resources.filter((r) => r.type.startsWith("kubernetes:") && r.inputs.metadata?.name)) {
            const kind = resource.type.split(":").pop();
            const id = `${kind} ${resource.inputs.metadata.namespace ?? ""}/${resource.inputs.metadata.name}`;
            assert.equal(seen.get(id), undefined, `${resource.name} and ${seen.get(id)} are both ${id}`);
            seen.set(id, resource.name);
        }
        assert.ok(!seen.has("Deployment flux-system/flux-operator") && !seen.has("ServiceAccount flux-system/flux-operator"),
            "the operator's chart names its objects after the release, flux-operator");
    });
});

describe("Flux v2 repo files", () => {
    it("start a team repo with a kustomization.yaml that names no namespace (targetNamespace does), and no Flux v1 files", () => {
        const files = fluxV2Engine.traits.teamRepoFiles("");
        assert.deepEqual(Object.keys(files), ["kustomization.yaml"]);
        assert.doesNotMatch(files["kustomization.yaml"], /^namespace:/m, "one layout for every team: a template carries it");
        assert.deepEqual(Object.keys(fluxV2Engine.traits.teamRepoFiles("deploy")), ["deploy/kustomization.yaml"]);
    });

    it("start the cluster repo under its path, without .flux.yaml, and without a FluxInstance", () => {
        const files = fluxV2Engine.traits.clusterRepoFiles("cluster");
        assert.deepEqual(Object.keys(files).sort(), ["cluster/common/kustomization.yaml", "cluster/kustomization.yaml"]);
        assert.ok(!Object.values(files).some((text) => /^kind: FluxInstance/m.test(text)));
    });
});
