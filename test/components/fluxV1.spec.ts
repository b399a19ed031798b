import * as pulumi from "@pulumi/pulumi";
import { strict as assert } from "assert";
import { FluxV1, FluxV1Args } from "../../components/engines/flux1/fluxV1";
import { FluxV1TeamRoles } from "../../components/engines/flux1/teamRoles";
import { githubKnownHosts } from "../../components/github/knownHosts";
import { Recording, record } from "../kit/harness";

type Scope = FluxV1Args["scope"];

/** Call inside `record`: a team's instance comes with the team roles, as the platform builds it. */
function argsFor(scope: Scope, namespace: string, extra: string[] = []): FluxV1Args {
    const common = {
        namespace,
        git: {
            url: `git@github.com:org/dev-${namespace}.git`,
            branch: "master",
            path: scope === "cluster" ? "cluster" : "",
            privateKey: pulumi.secret("-----BEGIN OPENSSH PRIVATE KEY-----\nKEY\n"),
            knownHosts: githubKnownHosts,
            keyFingerprint: "SHA256:team-key",
        },
        settings: { image: "docker.io/fluxcd/flux:1.25.4", gitPollInterval: "2m", syncInterval: "10m", args: extra },
        memcachedHost: "flux-memcached.flux-system",
    };
    return scope === "cluster"
        ? { ...common, scope }
        : { ...common, scope, teamRoles: new FluxV1TeamRoles("tenant-roles") };
}

async function build(scope: Scope, namespace: string, extra: string[] = []): Promise<Recording> {
    return (await record(() => new FluxV1("flux", argsFor(scope, namespace, extra)))).recording;
}

function container(recording: Recording, namespace: string) {
    return recording.k8s("kubernetes:apps/v1:Deployment", namespace, "flux").inputs.spec.template.spec.containers[0];
}

const rbac = "kubernetes:rbac.authorization.k8s.io/v1";

describe("FluxV1", () => {
    describe("for a team (namespace scope)", () => {
        it("is restricted to its namespace and syncs the team repo through the shared memcached", async () => {
            const recording = await build("namespace", "team1", ["--sync-garbage-collection"]);
            assert.deepEqual(container(recording, "team1").args, [
                "--manifest-generation=true",
                "--memcached-hostname=flux-memcached.flux-system",
                "--memcached-service=",
                "--git-url=git@github.com:org/dev-team1.git",
                "--git-branch=master",
                "--git-poll-interval=2m",
                "--sync-interval=10m",
                "--k8s-secret-name=flux-git-deploy",
                "--ssh-keygen-dir=/var/fluxd/keygen",
                "--listen-metrics=:3031",
                "--k8s-allow-namespace=team1",
                "--sync-garbage-collection",
            ]);
        });

        it("may do anything, but only inside its namespace: every right through a RoleBinding", async () => {
            const recording = await build("namespace", "team1");
            const binding = recording.k8s(`${rbac}:RoleBinding`, "team1", "flux");
            assert.deepEqual(binding.inputs.roleRef, { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "gitops-platform:flux-tenant" });
            assert.deepEqual(binding.inputs.subjects, [{ kind: "ServiceAccount", name: "flux", namespace: "team1" }]);
            const role = recording.k8s(`${rbac}:ClusterRole`, undefined, "gitops-platform:flux-tenant");
            assert.deepEqual(role.inputs.rules, [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }]);
            assert.ok(!recording.ofType(`${rbac}:ClusterRoleBinding`).some((b) => b.inputs.roleRef.name === "gitops-platform:flux-tenant"),
                "the all-verbs role must never be bound cluster-wide");
            assert.deepEqual(recording.ofType(`${rbac}:Role`), [], "the rules are shared, not copied per team");
        });

        it("reads cluster-wide only what Flux v1 discovery needs", async () => {
            const recording = await build("namespace", "team1");
            const bindings = recording.ofType(`${rbac}:ClusterRoleBinding`);
            assert.equal(bindings.length, 1);
            assert.equal(bindings[0].inputs.metadata.name, "gitops-platform:flux:team1");
            assert.equal(bindings[0].inputs.roleRef.name, "gitops-platform:flux-tenant-discovery");
            assert.deepEqual(bindings[0].inputs.subjects, [{ kind: "ServiceAccount", name: "flux", namespace: "team1" }]);
            const discovery = recording.k8s(`${rbac}:ClusterRole`, undefined, "gitops-platform:flux-tenant-discovery");
            assert.deepEqual(discovery.inputs.rules, [
                { apiGroups: ["apiextensions.k8s.io"], resources: ["customresourcedefinitions"], verbs: ["list", "watch"] },
                { apiGroups: [""], resources: ["namespaces"], verbs: ["list"] },
            ]);
        });

        it("gets a kubeconfig whose default namespace is the team's", async () => {
            const recording = await build("namespace", "team1");
            const config = recording.k8s("kubernetes:core/v1:ConfigMap", "team1", "flux-config");
            assert.match(config.inputs.data["kubeconfig.yaml"], /\n {6}namespace: team1\n/);
            assert.match(config.inputs.data["kubeconfig.yaml"], /current-context: default/);
            assert.ok(container(recording, "team1").env.some((e: any) =>
                e.name === "KUBECONFIG" && e.value === "/root/.kubectl/kubeconfig.yaml"));
        });
    });

    describe("for the cluster admins (cluster scope)", () => {
        it("syncs the cluster path with every right in the cluster and no namespace restriction", async () => {
            const recording = await build("cluster", "flux-system");
            const args: string[] = container(recording, "flux-system").args;
            assert.ok(args.includes("--git-path=cluster"));
            assert.ok(!args.some((a) => a.startsWith("--k8s-allow-namespace")));
            const [clusterRole] = recording.ofType(`${rbac}:ClusterRole`);
            assert.deepEqual(clusterRole.inputs.rules, [
                { apiGroups: ["*"], resources: ["*"], verbs: ["*"] },
                { nonResourceURLs: ["*"], verbs: ["*"] },
            ]);
            assert.deepEqual(recording.ofType(`${rbac}:ClusterRoleBinding`)[0].inputs.subjects,
                [{ kind: "ServiceAccount", name: "flux", namespace: "flux-system" }]);
            assert.equal(recording.ofType(`${rbac}:Role`).length, 0);
        });

        it("gets a larger memory limit than a team's, as it caches every image of the cluster", async () => {
            const recording = await build("cluster", "flux-system");
            assert.deepEqual(container(recording, "flux-system").resources,
                { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "1Gi" } });
        });
    });

    it("keeps the git key in a secret named flux-git-deploy, mounted read-only for its owner", async () => {
        const recording = await build("namespace", "team1");
        const secret = recording.k8s("kubernetes:core/v1:Secret", "team1", "flux-git-deploy");
        assert.deepEqual(secret.inputs.stringData, { identity: "-----BEGIN OPENSSH PRIVATE KEY-----\nKEY\n" });
        assert.ok(secret.secretInputs.has("stringData"), "the private key must be a secret input");
        const spec = recording.k8s("kubernetes:apps/v1:Deployment", "team1", "flux").inputs.spec.template.spec;
        assert.deepEqual(spec.volumes.find((v: any) => v.name === "git-key").secret, { secretName: "flux-git-deploy", defaultMode: 0o400 });
        assert.deepEqual(spec.containers[0].volumeMounts.find((m: any) => m.name === "git-key"),
            { name: "git-key", mountPath: "/etc/fluxd/ssh", readOnly: true });
        assert.deepEqual(spec.volumes.find((v: any) => v.name === "git-keygen").emptyDir, { medium: "Memory" });
    });

    it("trusts GitHub's current host keys, not the ones baked into the image", async () => {
        const recording = await build("namespace", "team1");
        const knownHosts: string = recording.k8s("kubernetes:core/v1:ConfigMap", "team1", "flux-config").inputs.data.known_hosts;
        assert.match(knownHosts, /^github\.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl$/m);
        assert.match(knownHosts, /^github\.com ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQCj7ndNxQowgcQnjshcLrqPEiiphnt/m);
        assert.deepEqual(container(recording, "team1").volumeMounts.find((m: any) => m.name === "ssh-config"),
            { name: "ssh-config", mountPath: "/root/.ssh", readOnly: true });
    });

    it("runs one replica at a time with probes, metrics, the seed's resource requests and a memory limit", async () => {
        const recording = await build("namespace", "team1");
        const deployment = recording.k8s("kubernetes:apps/v1:Deployment", "team1", "flux").inputs;
        assert.equal(deployment.spec.replicas, 1);
        assert.deepEqual(deployment.spec.strategy, { type: "Recreate" });
        assert.equal(deployment.spec.template.spec.serviceAccountName, "flux");
        const c = deployment.spec.template.spec.containers[0];
        assert.equal(c.image, "docker.io/fluxcd/flux:1.25.4");
        assert.deepEqual(c.livenessProbe.httpGet, { port: 3030, path: "/api/flux/v6/identity.pub" });
        assert.deepEqual(c.readinessProbe.httpGet, { port: 3030, path: "/api/flux/v6/identity.pub" });
        assert.deepEqual(c.resources.requests, { cpu: "50m", memory: "64Mi" });
        assert.deepEqual(c.resources.limits, { memory: "512Mi" });
        assert.deepEqual(c.ports.map((p: any) => p.containerPort), [3030, 3031]);
        assert.deepEqual(deployment.spec.template.metadata.annotations, {
            "prometheus.io/scrape": "true", "prometheus.io/port": "3031", "gitops-platform/git-key-fingerprint": "SHA256:team-key",
        });
        assert.deepEqual(deployment.spec.selector.matchLabels, { "app.kubernetes.io/name": "flux", "app.kubernetes.io/instance": "team1" });
    });
});
