import { strict as assert } from "assert";
import { fluxV2ReleaseOf, fluxV2Defaults, isExactFluxRelease } from "../../components/engines/flux2/settings";
import { sourceControllerSshUrl } from "../../components/engines/flux2/gitUrl";
import { fluxOperatorChart, fluxV2Version } from "../../components/shared/versions";
import { buildFluxV2, shared, types } from "../kit/flux2Fixture";

describe("Flux v2 settings", () => {
    it("pins exact releases, and knows the Kubernetes versions each supports", () => {
        assert.equal(isExactFluxRelease(fluxV2Version), true);
        assert.equal(isExactFluxRelease("2.9.x"), false);
        assert.equal(isExactFluxRelease("2.x"), false);
        assert.deepEqual(fluxV2ReleaseOf("2.9.4")?.kubernetes, { oldest: "1.34", newest: "1.36" });
        assert.deepEqual(fluxV2ReleaseOf("2.8.8")?.kubernetes, { oldest: "1.33", newest: "1.35" });
        assert.equal(fluxV2ReleaseOf("2.9.5"), undefined, "newer than the operator carries");
        assert.equal(fluxV2ReleaseOf("2.8.4"), undefined, "a release the operator does not carry");
        assert.equal(fluxV2ReleaseOf("2.7.0"), undefined, "a release line the platform does not offer");
        assert.equal(fluxV2ReleaseOf("2.9.x"), undefined, "a range");
    });

    it("defaults to the pinned versions, no image controllers, no shards", () => {
        assert.equal(fluxV2Defaults.install.version, fluxV2Version);
        assert.equal(fluxV2Defaults.install.operatorChartVersion, "0.58.1");
        assert.equal(fluxV2Defaults.install.imageAutomation, false);
        assert.deepEqual(fluxV2Defaults.install.shards, []);
        assert.equal(fluxV2Defaults.repo.imageAutomation, false);
    });

    it("gives source-controller the ssh:// form of the platform's scp-like git URLs", () => {
        assert.equal(sourceControllerSshUrl("git@github.com:org/dev-team1.git"), "ssh://git@github.com/org/dev-team1.git");
        assert.equal(sourceControllerSshUrl("git@ghe.example.com:/org/repo.git"), "ssh://git@ghe.example.com/org/repo.git");
        assert.equal(sourceControllerSshUrl("ssh://git@github.com/org/repo.git"), "ssh://git@github.com/org/repo.git");
        assert.throws(() => sourceControllerSshUrl("https://github.com/org/repo.git"), /over SSH/);
        assert.throws(() => sourceControllerSshUrl("github.com/org/repo"), /over SSH/);
    });
});

describe("Flux v2 install", () => {
    it("installs the Flux Operator's chart, pinned, in the system namespace, with ResourceSets locked down", async () => {
        const recording = await buildFluxV2(shared());
        const release = recording.get(types.release, "platform-flux2-operator");
        assert.equal(release.inputs.chart, "oci://ghcr.io/controlplaneio-fluxcd/charts/flux-operator");
        assert.equal(release.inputs.version, fluxOperatorChart.version);
        assert.equal(release.inputs.name, "flux-operator");
        assert.equal(release.inputs.namespace, "flux-system");
        assert.deepEqual(release.inputs.values.multitenancy, { enabled: true, defaultServiceAccount: "flux-tenant" });
        assert.deepEqual(release.inputs.values.resources, { requests: { cpu: "100m", memory: "64Mi" }, limits: { cpu: "2000m", memory: "1Gi" } });
    });

    it("owns the one FluxInstance: exact version, locked down for teams, no sync of its own, after the operator", async () => {
        const recording = await buildFluxV2(shared());
        const instance = recording.k8s(types.fluxInstance, "flux-system", "flux");
        assert.ok(instance.dependsOn.includes("platform-flux2-operator"), "the FluxInstance's CRD comes with the chart");
        assert.equal(instance.inputs.metadata.annotations["pulumi.com/waitFor"], "condition=Ready");
        assert.deepEqual(instance.inputs.spec, {
            distribution: { version: "2.9.4", registry: "ghcr.io/fluxcd" },
            components: ["source-controller", "kustomize-controller", "helm-controller", "notification-controller"],
            cluster: {
                type: "kubernetes", size: "small", multitenant: true, tenantDefaultServiceAccount: "flux-tenant",
                objectLevelWorkloadIdentity: true, multitenantWorkloadIdentity: true,
                tenantDefaultDecryptionServiceAccount: "flux-tenant", tenantDefaultKubeConfigServiceAccount: "flux-tenant",
                networkPolicy: true,
            },
            kustomize: { patches: instance.inputs.spec.kustomize.patches },
        });
        // The operator's policies narrowed: metrics (and pprof) from Prometheus only, notification-controller's receiver port only.
        const patches = instance.inputs.spec.kustomize.patches as { target: { kind: string; name: string }; patch: string }[];
        assert.deepEqual(patches.map((p) => [p.target.kind, p.target.name]), [["NetworkPolicy", "allow-scraping"], ["NetworkPolicy", "allow-webhooks"]]);
        assert.deepEqual(JSON.parse(patches[0].patch)[0].value[0].from, [{
            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "flagger-system" } },
            podSelector: { matchLabels: { "app.kubernetes.io/name": "flagger-prometheus" } },
        }]);
        assert.deepEqual(JSON.parse(patches[1].patch)[0].value, [{ ports: [{ port: 9292, protocol: "TCP" }] }]);
    });

    it("runs the image controllers only when a repo automates images, and helm-controller only when wanted", async () => {
        const withImages = (await buildFluxV2(shared({ imageAutomation: true, helmController: false })))
            .k8s(types.fluxInstance, "flux-system", "flux").inputs.spec.components;
        assert.deepEqual(withImages, ["source-controller", "kustomize-controller", "notification-controller",
            "image-reflector-controller", "image-automation-controller"]);
    });

    it("turns the operator's NetworkPolicies off when asked (Flux v1 teams reach memcached in the same namespace)", async () => {
        const spec = (await buildFluxV2(shared({ networkPolicy: false }))).k8s(types.fluxInstance, "flux-system", "flux").inputs.spec;
        assert.equal(spec.cluster.networkPolicy, false);
    });

    it("hands the operator the images' variant with the registry, and none when the stack names none", async () => {
        const distribution = async (extra: Record<string, unknown>) =>
            (await buildFluxV2(shared(extra))).k8s(types.fluxInstance, "flux-system", "flux").inputs.spec.distribution;
        assert.deepEqual(await distribution({ registry: "registry.example.com/fluxcd", variant: "upstream-alpine" }),
            { version: fluxV2Version, registry: "registry.example.com/fluxcd", variant: "upstream-alpine" });
        assert.deepEqual(await distribution({}), { version: fluxV2Version, registry: "ghcr.io/fluxcd" });
    });

    it("sizes the shared controllers with explicit resources instead of a profile", async () => {
        const resources = { requests: { cpu: "200m", memory: "256Mi" }, limits: { memory: "2Gi" } };
        const spec = (await buildFluxV2(shared({ controllers: { resources } }))).k8s(types.fluxInstance, "flux-system", "flux").inputs.spec;
        assert.equal(spec.cluster.size, undefined);
        assert.equal(spec.kustomize.patches.length, 3);
        const [patch] = spec.kustomize.patches.slice(2);
        assert.deepEqual(patch.target, { kind: "Deployment", name: "(source-controller|kustomize-controller|helm-controller|notification-controller)" });
        assert.deepEqual(JSON.parse(patch.patch), [{ op: "replace", path: "/spec/template/spec/containers/0/resources", value: resources }]);
    });

    it("runs a shard of controllers for each team with dedicated ones, sized by the team", async () => {
        const resources = { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "500m", memory: "256Mi" } };
        const spec = (await buildFluxV2(shared({ shards: [{ name: "team1", resources }] })))
            .k8s(types.fluxInstance, "flux-system", "flux").inputs.spec;
        assert.deepEqual(spec.sharding, { key: "sharding.fluxcd.io/key", shards: ["team1"] });
        const [patch] = spec.kustomize.patches.slice(2);
        // notification-controller is not sharded by the operator.
        assert.equal(patch.target.name, "(source-controller-team1|kustomize-controller-team1|helm-controller-team1)");
        assert.deepEqual(JSON.parse(patch.patch)[0].value, resources);
    });

    it("sizes a shard after the shared controllers, whose patch reaches the shards too (a shard's Deployments were named like the shared ones)", async () => {
        const sharedSize = { requests: { cpu: "200m", memory: "256Mi" }, limits: { memory: "2Gi" } };
        const shardSize = { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "500m", memory: "256Mi" } };
        const spec = (await buildFluxV2(shared({ controllers: { resources: sharedSize }, shards: [{ name: "team1", resources: shardSize }] })))
            .k8s(types.fluxInstance, "flux-system", "flux").inputs.spec;
        const sizes = (spec.kustomize.patches as { target: { name: string }; patch: string }[]).slice(2).map((p) => [p.target.name, JSON.parse(p.patch)[0].value]);
        // kustomize applies patches in order, each to every Deployment whose current or earlier name matches.
        assert.deepEqual(sizes, [
            ["(source-controller|kustomize-controller|helm-controller|notification-controller)", sharedSize],
            ["(source-controller-team1|kustomize-controller-team1|helm-controller-team1)", shardSize],
        ]);
    });

    it("has one tenant ClusterRole, every right, which nothing binds cluster-wide", async () => {
        const recording = await buildFluxV2(shared(), [{ scope: "namespace", namespace: "team1" }, { scope: "cluster", namespace: "flux-system" }]);
        const role = recording.k8s(types.clusterRole, undefined, "gitops-platform:flux2-tenant");
        assert.deepEqual(role.inputs.rules, [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }]);
        assert.ok(!recording.ofType(types.clusterRoleBinding).some((b) => b.inputs.roleRef.name === "gitops-platform:flux2-tenant"));
    });
});
