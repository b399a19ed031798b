import { strict as assert } from "assert";
import { Team } from "../../components/platform/team";
import { TeamSettings } from "../../config/types";
import { fakePrivateKey, fakePublicKey, record } from "../kit/harness";
import { teamArgs, teamSettings } from "../kit/teamFixture";

async function build(overrides: Partial<TeamSettings> = {}) {
    return (await record(() => new Team("team1", teamArgs({ ...teamSettings, ...overrides }, { ingressNamespaces: ["ingress-nginx"] }))))
        .recording;
}

describe("Team", () => {
    it("gets a labelled namespace named after the team", async () => {
        const recording = await build();
        const namespace = recording.get("kubernetes:core/v1:Namespace", "team1-namespace");
        assert.equal(namespace.inputs.metadata.name, "team1");
        assert.equal(namespace.inputs.metadata.labels["gitops-platform/team"], "team1");
    });

    it("registers its own key on its own repo and hands the private half only to its own Flux", async () => {
        const recording = await build();
        const deployKey = recording.get("github:index/repositoryDeployKey:RepositoryDeployKey", "team1-repo-deploy-key");
        assert.equal(deployKey.inputs.repository, "dev-team1");
        assert.equal(deployKey.inputs.key, fakePublicKey("team1-repo-key"));
        const secret = recording.k8s("kubernetes:core/v1:Secret", "team1", "flux-git-deploy");
        assert.equal(secret.inputs.stringData.identity, fakePrivateKey("team1-repo-key"));
        assert.ok(secret.secretInputs.has("stringData"));
    });

    it("starts its repo from the template of the seed's team layout under the team's path, with no team name in it", async () => {
        const recording = await build();
        const files = new Map(recording.ofType("github:index/repositoryFile:RepositoryFile")
            .map((f) => [f.inputs.file as string, f.inputs.content as string]));
        assert.deepEqual([...files.keys()], ["deploy/.flux.yaml", "deploy/kustomization.yaml", "deploy/flux-patch.yaml"]);
        // fluxd puts an object without a namespace into its kubeconfig's, the team's (namespacer.go).
        assert.doesNotMatch(files.get("deploy/kustomization.yaml")!, /^namespace:/m);
        assert.ok(![...files.values()].some((text) => text.includes("team1")), "one layout for every team: a template carries it");
        const repo = recording.get("github:index/repository:Repository", "team1-repo-repo");
        assert.equal(repo.inputs.template.repository, recording.ofType("github:index/repositoryFile:RepositoryFile")[0].inputs.repository);
        assert.match(files.get("deploy/.flux.yaml")!, /^patchUpdated:\n {2}generators:\n {4}- command: kustomize build \.\n {2}patchFile: flux-patch\.yaml$/m);
    });

    it("runs its Flux in the namespace, on the team's repo, branch and path", async () => {
        const recording = await build();
        const args: string[] = recording.k8s("kubernetes:apps/v1:Deployment", "team1", "flux").inputs.spec.template.spec.containers[0].args;
        assert.ok(args.includes("--git-url=git@github.com:org/dev-team1.git"));
        assert.ok(args.includes("--git-branch=main"));
        assert.ok(args.includes("--git-path=deploy"));
        assert.ok(args.includes("--k8s-allow-namespace=team1"));
        assert.ok(args.includes("--memcached-hostname=flux-memcached.flux-system"));
    });

    it("adopts an existing repo with create: false: a deploy key and nothing else on GitHub", async () => {
        const recording = await build({ create: false });
        // The repo is only read (a read resource has no inputs of its own here): see the GitHubRepo spec.
        assert.deepEqual(recording.resources.filter((r) => r.type.startsWith("github:"))
            .map((r) => Object.keys(r.inputs).length === 0 ? `read ${r.name}` : r.name), ["read team1-repo-repo", "team1-repo-deploy-key"]);
    });
});
