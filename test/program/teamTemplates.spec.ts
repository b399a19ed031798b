import { strict as assert } from "assert";
import { runProgram } from "../kit/harness";

const repository = "github:index/repository:Repository";
const contentCreating = (type: string) => type === repository || type === "github:index/repositoryFile:RepositoryFile";

describe("team repos made from templates", function () {
    this.timeout(60_000);

    it("costs a created team 2 GitHub objects and one content-creating request; the template's are paid once per stack", async () => {
        const teams = (n: number) => ({
            "github:owner": "org",
            "platform:teams": Array.from({ length: n }, (_, i) => ({ name: `team${i + 1}` })),
        });
        const github = async (n: number) => (await runProgram(teams(n))).recording.resources.filter((r) => r.type.startsWith("github:"));
        const [one, three] = [await github(1), await github(3)];
        const perTeam = three.filter((r) => r.name.startsWith("platform-team-team3-"));
        assert.deepEqual(perTeam.map((r) => r.type), [repository, "github:index/repositoryDeployKey:RepositoryDeployKey"]);
        assert.equal(perTeam.filter((r) => contentCreating(r.type)).length, 1);
        // Two more teams add their own objects and nothing else: one template serves them all.
        assert.equal(three.length - one.length, 4);
        assert.equal(three.filter((r) => r.type === repository && r.inputs.isTemplate).length, 1);
        const templates = new Set(three.filter((r) => r.inputs.template).map((r) => r.inputs.template.repository));
        assert.equal(templates.size, 1);
    });

    it("makes a template per layout: another branch or path is another template", async () => {
        const run = await runProgram({
            "github:owner": "org",
            "platform:teams": [{ name: "team1" }, { name: "team2", branch: "main" }, { name: "team3", path: "deploy" }, { name: "team4" }],
        });
        const templates = run.recording.ofType(repository).filter((r) => r.inputs.isTemplate);
        assert.equal(templates.length, 3);
        const of = (repo: string) => run.recording.ofType(repository).find((r) => r.inputs.name === repo)!.inputs.template.repository;
        assert.equal(of("dev-team1"), of("dev-team4"));
        assert.notEqual(of("dev-team1"), of("dev-team2"));
        const branches = run.recording.ofType("github:index/branchDefault:BranchDefault")
            .filter((b) => templates.some((t) => t.inputs.name === b.inputs.repository)).map((b) => b.inputs.branch).sort();
        assert.deepEqual(branches, ["main", "master", "master"]);
    });

    it("leaves an adopted repo (create: false) untouched: no template for it, none named by it", async () => {
        const run = await runProgram({ "github:owner": "org", "platform:teams": [{ name: "team1", create: false }] });
        assert.equal(run.error, undefined);
        assert.deepEqual(run.recording.ofType(repository).filter((r) => r.inputs.isTemplate || r.inputs.template), []);
    });
});
