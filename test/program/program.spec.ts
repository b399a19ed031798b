import { strict as assert } from "assert";
import * as path from "path";
import { celSource } from "../../components/addons/gatekeeper/containerResourcesRules";
import { bytes, cores } from "../../components/shared/settings/quantity";
import { gatekeeperViolations } from "../kit/cel";
import { fakePrivateKey, fakePublicKey, ProgramRun, resolve, runProgram } from "../kit/harness";
import { stackFile, withTeams } from "../kit/stackConfig";
import { assertOnlyAddsTeam, strings } from "../kit/runDiff";
import { watchConstruction } from "../kit/sdkInternals";

const root = path.join(__dirname, "..", "..");

const rbac = "kubernetes:rbac.authorization.k8s.io/v1";

describe("the program (index.ts)", () => {
    let dev: ProgramRun;
    before(async () => {
        dev = await runProgram(stackFile("migration"));
    });

    it("stands up the example stack: system Flux, memcached, Flagger, two Flux v1 teams and a Flux v2 team", () => {
        assert.equal(dev.error, undefined);
        const namespaces = dev.recording.ofType("kubernetes:core/v1:Namespace").map((n) => n.inputs.metadata.name);
        assert.deepEqual(namespaces.sort(), ["flagger-system", "flux-system", "gatekeeper-system", "team1", "team2", "team3"]);
        const fluxes = dev.recording.ofType("kubernetes:apps/v1:Deployment").filter((d) => d.inputs.metadata.name === "flux");
        assert.deepEqual(fluxes.map((d) => d.inputs.metadata.namespace).sort(), ["flux-system", "team1", "team2"]);
        assert.deepEqual(dev.recording.ofType("kubernetes:kustomize.toolkit.fluxcd.io/v1:Kustomization").map((k) => k.inputs.metadata.namespace),
            ["team3"]);
        // And a template per layout the team repos start from: team3 runs Flux v2, whose layout differs.
        assert.deepEqual(dev.recording.ofType("github:index/repository:Repository").map((r) => r.inputs.name).sort(),
            ["dev-cluster", "dev-team1", "dev-team2", "dev-team3", "platform-template-flux1-2fe93453", "platform-template-flux2-6bd352d6"]);
        dev.recording.k8s("kubernetes:core/v1:Service", "flux-system", "flux-memcached");
    });

    it("takes each team's overrides from the example stack", () => {
        const team2 = dev.recording.k8s("kubernetes:apps/v1:Deployment", "team2", "flux").inputs.spec.template.spec.containers[0].args;
        assert.ok(team2.includes("--git-poll-interval=1m"));
        assert.ok(team2.includes("--sync-interval=5m"));
        assert.equal(team2[team2.length - 1], "--sync-garbage-collection");
    });

    it("fences each team in as the example stack says: team1 on the defaults, team2 restricted with a bigger quota", () => {
        const labels = (team: string) => dev.recording.ofType("kubernetes:core/v1:Namespace")
            .find((n) => n.inputs.metadata.name === team)!.inputs.metadata.labels;
        assert.equal(labels("team1")["pod-security.kubernetes.io/enforce"], "baseline");
        assert.equal(labels("team1")["gitops-platform/pod-security"], "baseline");
        assert.equal(labels("team2")["pod-security.kubernetes.io/enforce"], "baseline");
        assert.equal(labels("team2")["gitops-platform/pod-security"], "restricted");
        const hard = (team: string) => dev.recording.k8s("kubernetes:core/v1:ResourceQuota", team, "platform-quota").inputs.spec.hard;
        assert.equal(hard("team1")["requests.cpu"], "2");
        assert.equal(hard("team2")["requests.cpu"], "4");
        assert.equal(hard("team2")["limits.memory"], "8Gi");
        const constraints = dev.recording.ofType("kubernetes:constraints.gatekeeper.sh/v1beta1:ContainerResources");
        assert.deepEqual(constraints.map((c) => c.inputs.spec.match.namespaces), [["team1"], ["team2"], ["team3"]]);
    });

    it("orders Gatekeeper's release, then its template, then each team's constraint; teams never wait on each other", () => {
        const template = dev.recording.get("kubernetes:templates.gatekeeper.sh/v1:ConstraintTemplate", "platform-gatekeeper-container-resources");
        assert.ok(template.dependsOn.includes("platform-gatekeeper-release"));
        for (const constraint of dev.recording.ofType("kubernetes:constraints.gatekeeper.sh/v1beta1:ContainerResources")) {
            assert.ok(constraint.dependsOn.includes("platform-gatekeeper-container-resources"), constraint.name);
        }
        for (const r of dev.recording.resources.filter((x) => x.name.startsWith("platform-team-team1"))) {
            assert.deepEqual(r.dependsOn.filter((d) => d.startsWith("platform-team-team2")), [], r.name);
        }
    });

    it("creates every namespace but Gatekeeper's own after Gatekeeper's release, whose namespace webhook fails closed", () => {
        const namespaces = dev.recording.ofType("kubernetes:core/v1:Namespace");
        assert.deepEqual(namespaces.map((n) => n.inputs.metadata.name).sort(),
            ["flagger-system", "flux-system", "gatekeeper-system", "team1", "team2", "team3"]);
        for (const namespace of namespaces) {
            const waits = namespace.dependsOn.includes("platform-gatekeeper-release");
            assert.equal(waits, namespace.inputs.metadata.name !== "gatekeeper-system", namespace.name);
        }
    });

    it("runs every team's Flux within its own namespace's rules: the ContainerResources policy and the quota", () => {
        for (const team of ["team1", "team2"]) {
            const flux = dev.recording.k8s("kubernetes:apps/v1:Deployment", team, "flux").inputs;
            assert.deepEqual(gatekeeperViolations(celSource, flux), [], team);
            const { requests, limits } = flux.spec.template.spec.containers[0].resources;
            const hard = dev.recording.k8s("kubernetes:core/v1:ResourceQuota", team, "platform-quota").inputs.spec.hard;
            assert.ok(cores(requests.cpu) <= cores(hard["requests.cpu"]), team);
            assert.ok(bytes(limits.memory) <= bytes(hard["limits.memory"]), team);
        }
    });

    it("points every Flux at the one shared memcached", () => {
        const fluxes = dev.recording.ofType("kubernetes:apps/v1:Deployment").filter((d) => d.inputs.metadata.name === "flux");
        // The cluster's, team1's and team2's: the example stack's Flux v1 repos.
        assert.deepEqual(fluxes.map((f) => f.inputs.metadata.namespace).sort(), ["flux-system", "team1", "team2"]);
        for (const flux of fluxes) {
            assert.ok(flux.inputs.spec.template.spec.containers[0].args.includes("--memcached-hostname=flux-memcached.flux-system"));
        }
    });

    it("registers each repo's key on that repo and gives the private half to the Flux of that repo only", () => {
        // Repo, namespace, the engine's key Secret there, and whether the engine pushes (Flux v1 does; Flux v2 only reads).
        const expected = [["dev-cluster", "flux-system", "flux-git-deploy", true], ["dev-team1", "team1", "flux-git-deploy", true],
            ["dev-team2", "team2", "flux-git-deploy", true], ["dev-team3", "team3", "flux-git-ssh", false]] as const;
        const deployKeys = dev.recording.ofType("github:index/repositoryDeployKey:RepositoryDeployKey");
        const keyPairs = dev.recording.ofType("tls:index/privateKey:PrivateKey").map((k) => k.name);
        assert.equal(keyPairs.length, expected.length);
        for (const [repo, namespace, secretName, writes] of expected) {
            const onRepo = deployKeys.filter((k) => k.inputs.repository === repo);
            assert.equal(onRepo.length, 1, `one deploy key on ${repo}`);
            assert.equal(onRepo[0].inputs.readOnly, !writes, repo);
            // Both mocked halves carry the name of their keypair, so a matching pair is recognisable.
            const pair = keyPairs.find((k) => fakePublicKey(k) === onRepo[0].inputs.key)!;
            const secret = dev.recording.k8s("kubernetes:core/v1:Secret", namespace, secretName);
            assert.equal(secret.inputs.stringData.identity, fakePrivateKey(pair));
        }
    });

    it("never binds a team's Flux to cluster-wide write rights", () => {
        const bindings = dev.recording.ofType(`${rbac}:ClusterRoleBinding`);
        const roles = new Map(dev.recording.ofType(`${rbac}:ClusterRole`).map((r) => [r.inputs.metadata.name, r.inputs.rules]));
        for (const binding of bindings) {
            const namespaces = binding.inputs.subjects.map((s: any) => s.namespace);
            if (namespaces.includes("flux-system")) {
                continue;
            }
            for (const rule of roles.get(binding.inputs.roleRef.name)) {
                assert.deepEqual(rule.verbs.filter((v: string) => !["get", "list", "watch"].includes(v)), [],
                    `${binding.inputs.metadata.name} grants ${JSON.stringify(rule)}`);
            }
        }
        const systemBindings = bindings.filter((b) => b.inputs.subjects.some((s: any) => s.namespace === "flux-system"));
        assert.equal(systemBindings.length, 1);
    });

    it("exports namespace, SSH URL and deploy key per team and for the cluster repo", async () => {
        const { value: cluster } = await resolve(dev.exports!.cluster as any);
        assert.deepEqual(cluster, {
            namespace: "flux-system",
            repo: "org/dev-cluster",
            sshUrl: "git@github.com:org/dev-cluster.git",
            branch: "master",
            path: "cluster",
            sync: "fluxctl --k8s-fwd-ns=flux-system sync",
            deployKey: { publicKey: "ssh-ed25519 AAAAC3Mockplatformclusterrepokey", fingerprint: "SHA256:mock-platform-cluster-repo-key" },
        });
        const { value: teams } = await resolve(dev.exports!.teams as any) as { value: Record<string, any> };
        assert.deepEqual(Object.keys(teams), ["team1", "team2", "team3"]);
        assert.equal(teams.team2.sshUrl, "git@github.com:org/dev-team2.git");
        assert.equal(teams.team2.namespace, "team2");
        assert.equal(teams.team2.deployKey.fingerprint, "SHA256:mock-platform-team-team2-repo-key");
        // Where each team pushes and how it sees its sync, in its own engine's words.
        assert.deepEqual([teams.team1.branch, teams.team1.path, teams.team1.sync], ["master", "", "fluxctl --k8s-fwd-ns=team1 sync"]);
        assert.equal(teams.team3.sync, "flux get kustomizations -n team3");
    });

    it("keeps private keys out of outputs and out of every non-secret input", async () => {
        for (const name of Object.keys(dev.exports!)) {
            const { value } = await resolve(dev.exports![name] as any);
            for (const [at, text] of strings(value)) {
                assert.ok(!text.includes("PRIVATE KEY"), `output ${name}${at} holds a private key`);
            }
        }
        let seen = 0;
        for (const r of dev.recording.resources) {
            for (const [at, text] of strings(r.inputs)) {
                if (text.includes("PRIVATE KEY")) {
                    seen++;
                    const top = at.split(".")[1];
                    assert.ok(r.secretInputs.has(top), `${r.name} holds a private key in plain input ${at}`);
                }
            }
        }
        assert.equal(seen, 4, "each engine's key Secret holds its key");
    });

    it("adds a team without changing any resource that existed", async () => {
        const before = await runProgram(withTeams(["team1"]));
        const after = await runProgram(withTeams(["team1", "team2"]));
        assertOnlyAddsTeam(before, after, "team2");
    });

    it("builds one team per turn: a team's resources are registered before the next team is built", async () => {
        const run = await runProgram(withTeams(["team1", "team2", "team3"]));
        const order = run.recording.resources.map((r) => `${r.type} ${r.name}`);
        const at = (entry: string) => {
            assert.ok(order.includes(entry), `${entry} was not registered`);
            return order.indexOf(entry);
        };
        for (const [team, next] of [["team1", "team2"], ["team2", "team3"]]) {
            assert.ok(at(`kubernetes:apps/v1:Deployment platform-team-${team}-flux-deployment`) <
                at(`platform:index:Team platform-team-${next}`), `${next} was built before ${team}'s Flux was registered`);
        }
        const { value: teams } = await resolve(run.exports!.teams as any) as { value: Record<string, any> };
        assert.deepEqual(Object.keys(teams), ["team1", "team2", "team3"]);
    });

    it("gives a team built on a later turn the same source positions as the first team's", async () => {
        const positions = new Map<string, string>();
        const stop = watchConstruction((_type, name, _custom, _outputs, at) => {
            positions.set(name, at ? `${path.relative(root, at.uri.replace(/^file:\/\//, ""))}:${at.line}:${at.column}` : "none");
        });
        try {
            await runProgram(withTeams(["team1", "team2"]));
        } finally {
            stop();
        }
        const team1 = [...positions].filter(([name]) => name.startsWith("platform-team-team1"));
        assert.ok(team1.length > 15);
        for (const [name, at] of team1) {
            assert.match(at, /^components\/[\w/]+\.ts:\d+:\d+$/, `${name} at ${at}`);
            assert.equal(positions.get(name.replace("team1", "team2")), at, name);
        }
    });

    it("stops on bad config with every problem listed and nothing registered", async () => {
        const run = await runProgram({
            "platform:teams": [{ name: "team1", brnach: "main" }, { name: "kube-system" }, { name: "team1" }],
        });
        assert.equal(run.recording.resources.length, 0);
        assert.equal(run.error?.message, [
            "The stack config has 4 problems; nothing was changed:",
            "  - github:owner: is not set: every repo is created under it; run `pulumi config set github:owner <org>`",
            '  - platform:teams[0].brnach: unknown key; did you mean "branch"? (known keys: name, repo, branch, path, create, keyVersion, clusters, engine, flux, slack, podSecurity, policies, quota, limits, offboard)',
            '  - platform:teams[1].name: "kube-system" is reserved: the namespaces default, flux-system, flagger-system, gatekeeper-system and kube-* belong to Kubernetes and the platform',
            '  - platform:teams[2].name: "team1" is already the name of platform:teams[0]: team names must be unique',
        ].join("\n"));
    });
});
