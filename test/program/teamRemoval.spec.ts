import { strict as assert } from "assert";
import { ProgramRun, runProgram } from "../kit/harness";
import { assertOnlyAddsTeam, resourceId } from "../kit/runDiff";
import { withTeams } from "../kit/stackConfig";

const id = resourceId;

describe("removing a team from platform:teams", () => {
    let both: ProgramRun;
    let one: ProgramRun;
    before(async () => {
        both = await runProgram(withTeams(["team1", "team2"]));
        one = await runProgram(withTeams(["team1"]));
    });

    it("drops every resource of that team and only those; the rest keep identical inputs", () => {
        assert.equal(one.error, undefined);
        // Removing team2 is adding it, the other way round.
        assertOnlyAddsTeam(one, both, "team2");
    });

    it("deletes the namespace, the team's Flux with its RBAC, and the deploy key", () => {
        const gone = new Set(both.recording.resources.filter((r) => !one.recording.resources.some((a) => id(a) === id(r)))
            .map((r) => `${r.type.split(":").pop()} ${r.inputs.metadata?.namespace ?? ""}/${r.inputs.metadata?.name ?? r.inputs.name ?? r.inputs.repository ?? r.name}`));
        for (const expected of [
            "Namespace /team2",
            "Deployment team2/flux",
            "ServiceAccount team2/flux",
            "Secret team2/flux-git-deploy",
            "RoleBinding team2/flux",
            "ClusterRoleBinding /gitops-platform:flux:team2",
            "RepositoryDeployKey /dev-team2",
            "PrivateKey /platform-team-team2-repo-key",
        ]) {
            assert.ok(gone.has(expected), `${expected} should be deleted (deleted: ${[...gone].join(", ")})`);
        }
    });

    it("archives the team's repo instead of deleting it: the removed state asks for archiveOnDestroy", () => {
        // On deletion Pulumi acts on the inputs recorded in the stack's state, which are these.
        const repo = both.recording.get("github:index/repository:Repository", "platform-team-team2-repo-repo");
        assert.equal(repo.inputs.name, "dev-team2");
        assert.equal(repo.inputs.archiveOnDestroy, true);
        // The starting files came from the template: no file is the team's resource, so deleting
        // the team never writes a commit that removes one (older stacks' file resources are
        // retainOnDelete, asserted in the GitHubRepo spec).
        assert.deepEqual(both.recording.ofType("github:index/repositoryFile:RepositoryFile")
            .filter((f) => f.inputs.repository === "dev-team2"), []);
    });

    it("leaves the other team's repo, key and Flux in place", () => {
        for (const [type, name] of [
            ["github:index/repository:Repository", "platform-team-team1-repo-repo"],
            ["github:index/repositoryDeployKey:RepositoryDeployKey", "platform-team-team1-repo-deploy-key"],
            ["tls:index/privateKey:PrivateKey", "platform-team-team1-repo-key"],
        ]) {
            one.recording.get(type, name);
        }
        one.recording.k8s("kubernetes:apps/v1:Deployment", "team1", "flux");
        one.recording.k8s("kubernetes:apps/v1:Deployment", "flux-system", "flux");
    });
});
