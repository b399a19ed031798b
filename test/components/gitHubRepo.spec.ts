import * as pulumi from "@pulumi/pulumi";
import { strict as assert } from "assert";
import { GitHubRepo, GitHubRepoArgs } from "../../components/github/gitHubRepo";
import { RepoTemplate } from "../../components/github/repoTemplate";
import { computedOutputs, fakePrivateKey, fakePublicKey, record, resolve } from "../kit/harness";
import { waitForRegistrations } from "../kit/sdkInternals";

const args: GitHubRepoArgs = {
    owner: "org",
    repo: "dev-team1",
    create: true,
    branch: "master",
    description: "team1's workloads",
    start: { files: { ".flux.yaml": "version: 1\n", "kustomization.yaml": "resources: []\n" } },
    deployKeyTitle: "flux in namespace team1",
    keyVersion: 1,
    writable: true,
};

/** Builds a repo and captures the resource options of its children, which the mocks do not see. */
async function build(overrides: Partial<GitHubRepoArgs> = {}) {
    const options = new Map<string, pulumi.CustomResourceOptions>();
    const capture: pulumi.ResourceTransformation = ({ name, opts }) => {
        options.set(name, opts);
        return undefined;
    };
    const { recording, result } = await record(() =>
        new GitHubRepo("team1-repo", { ...args, ...overrides }, { transformations: [capture] }));
    return { recording, repo: result, options };
}

/** What the program warns about when GitHub answers for the repository with `repository`. */
async function warnings(overrides: Partial<GitHubRepoArgs>, repository: Record<string, unknown>): Promise<string[]> {
    await pulumi.runtime.setMocks({
        newResource: (r) => ({
            id: r.id ?? `${r.name}-id`,
            state: { ...r.inputs, ...computedOutputs(r.type, r.name), ...(r.type === "github:index/repository:Repository" ? repository : {}) },
        }),
        call: (c) => c.inputs,
    }, "platform", "test", false);
    const said: string[] = [];
    const warn = console.warn;
    const log = console.log;
    const capture = (...line: unknown[]) => {
        const match = /^warning: \[runtime\] ([\s\S]*)$/.exec(String(line[0]));
        if (match) {
            said.push(match[1]);
        }
    };
    console.warn = capture;
    console.log = capture;
    try {
        const repo = new GitHubRepo("team1-repo", { ...args, ...overrides });
        await resolve(repo.fingerprint);
        await waitForRegistrations();
        await new Promise((r) => setImmediate(r));
    } finally {
        console.warn = warn;
        console.log = log;
    }
    return said;
}

describe("GitHubRepo", () => {
    it("creates a private, initialised repo that is archived rather than deleted", async () => {
        const { recording } = await build();
        const repo = recording.get("github:index/repository:Repository", "team1-repo-repo");
        assert.equal(repo.inputs.name, "dev-team1");
        assert.equal(repo.inputs.visibility, "private");
        assert.equal(repo.inputs.autoInit, true);
        assert.equal(repo.inputs.archiveOnDestroy, true);
    });

    it("registers the public half of its own keypair as a write-enabled deploy key on this repo", async () => {
        const { recording, repo } = await build();
        const key = recording.get("tls:index/privateKey:PrivateKey", "team1-repo-key");
        assert.equal(key.inputs.algorithm, "ED25519");
        const deployKey = recording.get("github:index/repositoryDeployKey:RepositoryDeployKey", "team1-repo-deploy-key");
        assert.equal(deployKey.inputs.repository, "dev-team1");
        assert.equal(deployKey.inputs.readOnly, false);
        assert.equal(deployKey.inputs.title, "flux in namespace team1");
        assert.equal(deployKey.inputs.key, fakePublicKey("team1-repo-key"));
        assert.deepEqual((await resolve(repo.publicKey)).value, deployKey.inputs.key);
        assert.equal((await resolve(repo.fingerprint)).value, "SHA256:mock-team1-repo-key");
    });

    it("keeps the private key a secret output", async () => {
        const { repo } = await build();
        const privateKey = await resolve(repo.privateKey);
        assert.equal(privateKey.value, fakePrivateKey("team1-repo-key"));
        assert.equal(privateKey.secret, true);
        assert.equal((await resolve(repo.publicKey)).secret, false);
    });

    it("derives the SSH URL Flux clones from the owner and repo name", async () => {
        const { repo } = await build();
        assert.equal(repo.sshUrl, "git@github.com:org/dev-team1.git");
        assert.equal(repo.fullName, "org/dev-team1");
    });

    it("writes the starting files once, on the configured branch, and never rewrites or deletes them", async () => {
        const { recording, options } = await build();
        const files = recording.ofType("github:index/repositoryFile:RepositoryFile");
        assert.deepEqual(files.map((f) => [f.inputs.file, f.inputs.content]), Object.entries((args.start as { files: Record<string, string> }).files));
        for (const file of files) {
            assert.equal(file.inputs.repository, "dev-team1");
            assert.equal(file.inputs.branch, "master");
            const opts = options.get(file.name)!;
            assert.equal(opts.retainOnDelete, true, `${file.name} must survive its removal`);
            for (const input of ["content", "branch", "commitMessage", "overwriteOnCreate"]) {
                assert.ok((opts.ignoreChanges ?? []).includes(input), `${file.name} must ignore ${input} once written`);
            }
        }
    });

    it("never writes a starting file over what is at its path, and uses no deprecated branch fields", async () => {
        const { recording, options } = await build();
        const files = recording.ofType("github:index/repositoryFile:RepositoryFile");
        assert.equal(files.length, 2, "the starting files of args");
        for (const file of files) {
            // resource_github_repository_file.go Create: with overwrite_on_create it takes over an existing file.
            assert.equal(file.inputs.overwriteOnCreate, false);
            // Deprecated in the provider ("Use `github_branch` resource instead"): a warning on every preview.
            assert.deepEqual(Object.keys(file.inputs).filter((k) => k.startsWith("autocreateBranch")), []);
            assert.deepEqual((options.get(file.name)!.ignoreChanges ?? []).filter((k) => k.startsWith("autocreateBranch")), [],
                "an ignored input is put back from the old state, and would warn again");
        }
    });

    it("commits the starting files one after another, after the branch is there", async () => {
        const { recording } = await build({ start: { files: { "a.yaml": "a\n", "b.yaml": "b\n", "c.yaml": "c\n" } } });
        const files = recording.ofType("github:index/repositoryFile:RepositoryFile");
        // Each waits for the one before it (the first for the branch); all take the repo's name.
        assert.deepEqual(files.map((f) => [...f.dependsOn].sort()), [
            ["team1-repo-default-branch", "team1-repo-repo"],
            ["team1-repo-file-a-yaml", "team1-repo-repo"],
            ["team1-repo-file-b-yaml", "team1-repo-repo"],
        ]);
    });

    it("makes the configured branch the default once, when it creates the repo, and leaves it to the team after", async () => {
        const { recording, options } = await build({ branch: "production" });
        const branch = recording.get("github:index/branchDefault:BranchDefault", "team1-repo-default-branch");
        // resource_github_branch_default.go: rename renames the first commit's branch, so it exists before any file.
        assert.deepEqual(branch.inputs, { repository: "dev-team1", branch: "production", rename: true, waitForRename: true });
        const opts = options.get(branch.name)!;
        // Read sets branch to GitHub's default: without this a refresh then up sets it back, and a
        // changed branch in config would switch the repo's default.
        assert.deepEqual(opts.ignoreChanges, ["branch", "rename", "waitForRename"]);
        assert.equal(opts.retainOnDelete, true);
    });

    it("with create: false only registers the deploy key on the existing repo, which it reads", async () => {
        const { recording, options } = await build({ create: false });
        assert.deepEqual(recording.resources.filter((r) => r.type.startsWith("github:")).map((r) => [r.type, r.name]), [
            ["github:index/repository:Repository", "team1-repo-repo"],
            ["github:index/repositoryDeployKey:RepositoryDeployKey", "team1-repo-deploy-key"],
        ]);
        // A read (a resource with an ID), not a registration: nothing on GitHub is created or changed.
        assert.equal(options.get("team1-repo-repo")!.id, "dev-team1");
        assert.equal(recording.get("github:index/repositoryDeployKey:RepositoryDeployKey", "team1-repo-deploy-key").inputs.repository, "dev-team1");
    });

    it("switching create from true to false lets go of the repo instead of archiving it", async () => {
        // The engine relinquishes a managed resource when the program reads the same URN with the
        // same ID (pulumi v3.248.0 step_generator.go GenerateReadSteps), and deletes it (here:
        // archives it) when the URN is gone from the program.
        const created = await build({ create: true });
        const adopted = await build({ create: false });
        // The same type, name and parent: the same URN as the created repo.
        const type = "github:index/repository:Repository";
        assert.equal(adopted.recording.get(type, "team1-repo-repo").type, created.recording.get(type, "team1-repo-repo").type);
        assert.equal(created.options.get("team1-repo-repo")!.parent, created.repo);
        // The created repo's ID is its name (resource_github_repository.go Create: d.SetId(repo.GetName())).
        assert.equal(adopted.options.get("team1-repo-repo")!.id, created.recording.get(type, "team1-repo-repo").inputs.name);
        assert.equal(adopted.options.get("team1-repo-repo")!.parent, adopted.repo);
        // The deploy key keeps its inputs: it is not replaced by the switch.
        const key = "github:index/repositoryDeployKey:RepositoryDeployKey";
        assert.deepEqual(adopted.recording.get(key, "team1-repo-deploy-key").inputs, created.recording.get(key, "team1-repo-deploy-key").inputs);
    });

    it("warns when GitHub reports the repo archived, where a deploy key can neither be rotated nor removed", async () => {
        for (const create of [true, false]) {
            assert.deepEqual(await warnings({ create }, { archived: false }), []);
            const [warning, ...rest] = await warnings({ create }, { archived: true });
            assert.deepEqual(rest, []);
            assert.match(warning, /^org\/dev-team1 is archived on GitHub, so its deploy key can neither be rotated nor removed/);
            assert.match(warning, /Unarchive the repository first/);
        }
    });

    describe("made from a template", () => {
        /** A template and a repo made from it, in one stack. */
        async function fromTemplate() {
            const options = new Map<string, pulumi.CustomResourceOptions>();
            const capture: pulumi.ResourceTransformation = ({ name, opts }) => {
                options.set(name, opts);
                return undefined;
            };
            const { recording } = await record(() => {
                const template = new RepoTemplate("tpl", {
                    owner: "org", repo: "platform-template-flux1-0", branch: "main", description: "layout",
                    files: { ".flux.yaml": "version: 1\n", "kustomization.yaml": "resources: []\n" },
                }, { transformations: [capture] });
                return new GitHubRepo("team1-repo", { ...args, branch: "main", start: { template: template.ref } }, { transformations: [capture] });
            });
            return { recording, options };
        }

        it("is two GitHub objects, the repo and its deploy key: GitHub copies the layout in the request that creates it", async () => {
            const { recording } = await fromTemplate();
            const ofTeam = recording.resources.filter((r) => r.type.startsWith("github:") && r.name.startsWith("team1-repo"));
            assert.deepEqual(ofTeam.map((r) => r.type), [
                "github:index/repository:Repository",
                "github:index/repositoryDeployKey:RepositoryDeployKey",
            ]);
            const repo = recording.get("github:index/repository:Repository", "team1-repo-repo");
            // resource_github_repository.go Create: with `template`, CreateFromTemplate (POST .../generate).
            assert.deepEqual(repo.inputs.template, { owner: "org", repository: "platform-template-flux1-0", includeAllBranches: false });
            assert.equal(repo.inputs.archiveOnDestroy, true);
        });

        it("waits for the template's last file, and ignores the template once created, so older repos see no change", async () => {
            const { recording, options } = await fromTemplate();
            const repo = recording.get("github:index/repository:Repository", "team1-repo-repo");
            assert.ok(repo.dependsOn.includes("tpl-file-kustomization-yaml"), `depends on ${repo.dependsOn.join(", ")}`);
            assert.deepEqual(options.get("team1-repo-repo")!.ignoreChanges, ["template"]);
        });

        it("the template: a private template repo, archived not deleted, its branch made default and its files written once", async () => {
            const { recording, options } = await fromTemplate();
            const template = recording.get("github:index/repository:Repository", "tpl-repo");
            assert.equal(template.inputs.isTemplate, true);
            assert.equal(template.inputs.visibility, "private");
            assert.equal(template.inputs.archiveOnDestroy, true);
            const branch = recording.get("github:index/branchDefault:BranchDefault", "tpl-default-branch");
            assert.equal(branch.inputs.branch, "main");
            const files = recording.ofType("github:index/repositoryFile:RepositoryFile");
            assert.deepEqual(files.map((f) => [f.name, f.inputs.repository]), [
                ["tpl-file-flux-yaml", "platform-template-flux1-0"],
                ["tpl-file-kustomization-yaml", "platform-template-flux1-0"],
            ]);
            for (const file of files) {
                assert.equal(options.get(file.name)!.retainOnDelete, true);
                assert.ok(options.get(file.name)!.ignoreChanges!.includes("content"));
            }
        });
    });
});
