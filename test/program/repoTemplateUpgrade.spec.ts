// A stack created before team repos were made from templates: its next `pulumi up` must replace
// nothing and delete nothing of an existing team on GitHub. Each team repo's default branch and
// starting files were resources of their own then, and leave the program now; their
// retainOnDelete, recorded in the stack's state, makes that deletion a forget (the files and the
// default branch stay on GitHub). The repo itself keeps its URN and its inputs, but for the
// `template` it names now, which it ignores once created.
import * as pulumi from "@pulumi/pulumi";
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { GitHubRepo, GitHubRepoArgs } from "../../components/github/gitHubRepo";
import { RepoTemplate } from "../../components/github/repoTemplate";
import { record, Recording, runProgram } from "../kit/harness";
import { EngineUrns, watchEngineUrns } from "../kit/urns";
import { compare } from "../kit/runDiff";
import { stackFile } from "../kit/stackConfig";

/** The example stack's URNs as the program before templates registered them (test/fixtures/urns.json then). */
const beforeTemplates = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "fixtures", "urns-before-templates.json"), "utf8")) as string[];

const teamLayoutUrn = /\$platform:index:Team\$platform:index:GitHubRepo\$github:index\/(branchDefault:BranchDefault|repositoryFile:RepositoryFile)::/;

const args: GitHubRepoArgs = {
    owner: "org", repo: "dev-team1", create: true, branch: "main", description: "team1's workloads",
    start: { files: { ".flux.yaml": "version: 1\n", "kustomization.yaml": "resources: []\n" } },
    deployKeyTitle: "flux in namespace team1", keyVersion: 1, writable: true,
};

describe("a stack created before team repos came from templates", function () {
    this.timeout(60_000);

    it("keeps every resource but the team repos' default branch and starting files, which it forgets and leaves on GitHub", async () => {
        let read: (() => EngineUrns) | undefined;
        const config = {
            ...stackFile("migration"),
            "platform:slackWebhook": "https://hooks.slack.com/services/T0/B0/platform",
            "platform:teamSlackWebhooks": { team2: "https://hooks.slack.com/services/T0/B0/team2" },
        };
        const run = await runProgram(config, ["platform:slackWebhook", "platform:teamSlackWebhooks"], undefined,
            () => { read = watchEngineUrns("test", "platform"); });
        assert.equal(run.error, undefined);
        const taken = new Set<string>();
        for (const accepted of read!().accepted.values()) {
            accepted.forEach((urn) => taken.add(urn));
        }
        const gone = beforeTemplates.filter((urn) => !taken.has(urn));
        assert.ok(gone.length > 0);
        assert.deepEqual(gone.filter((urn) => !teamLayoutUrn.test(urn)), [], "only a team repo's default branch and files leave the program");
        // Each of them had retainOnDelete in the program that created it, and so in the stack's
        // state: every default branch and file a repo started with is registered so, then as now.
        const { recording, options } = await children(true);
        const layout = recording.resources.filter((r) => r.type === "github:index/branchDefault:BranchDefault" ||
            r.type === "github:index/repositoryFile:RepositoryFile");
        assert.equal(layout.length, 3);
        for (const r of layout) {
            assert.equal(options.get(r.name)!.retainOnDelete, true, r.name);
        }
    });

    it("changes an existing team repo only in the template it names, an input it ignores, so it is neither replaced nor updated", async () => {
        const before = await children(true);
        const after = await children(false);
        const diff = compare({ recording: before.recording }, { recording: after.recording });
        const repo = "github:index/repository:Repository::team1-repo-repo";
        assert.deepEqual(Object.keys(diff.changed), [repo]);
        assert.deepEqual(diff.changed[repo], [".template"]);
        assert.deepEqual(after.options.get("team1-repo-repo")!.ignoreChanges, ["template"]);
        assert.deepEqual(diff.removed.filter((k) => !k.startsWith("github:index/branchDefault:") && !k.startsWith("github:index/repositoryFile:")), []);
        for (const removed of diff.removed) {
            assert.equal(before.options.get(removed.slice(removed.indexOf("::") + 2))!.retainOnDelete, true, removed);
        }
    });
});

/** A team's GitHubRepo as the program before templates built it (`withFiles`), or as it does now. */
async function children(withFiles: boolean) {
    const options = new Map<string, pulumi.CustomResourceOptions>();
    const capture: pulumi.ResourceTransformation = ({ name, opts }) => {
        options.set(name, opts);
        return undefined;
    };
    const { recording } = await record(() => {
        const start = withFiles
            ? args.start
            : { template: new RepoTemplate("tpl", { owner: "org", repo: "platform-template-flux1-0", branch: "main", description: "", files: {} }).ref };
        return new GitHubRepo("team1-repo", { ...args, start }, { transformations: [capture] });
    });
    // The template's own resources are new ones, not the team's.
    return { recording: new Recording(recording.resources.filter((r) => !r.name.startsWith("tpl"))), options };
}
