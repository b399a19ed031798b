import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { generationDeployKey } from "./deployKey";
import { gitSshHost } from "./knownHosts";

export interface GitHubRepoArgs {
    readonly owner: string;
    readonly repo: string;
    /**
     * false: the repo exists already; only the deploy key is registered on it, and the repo is
     * read, never changed. Switching a created repo to false lets go of it without archiving it.
     */
    readonly create: boolean;
    /** The branch Flux syncs; made the repo's default branch when the program creates the repo. */
    readonly branch: string;
    readonly description: string;
    /** Files written in the first commits after the repo is created, then left to the team. */
    readonly initialFiles: Readonly<Record<string, string>>;
    /** Title of the deploy key as GitHub shows it. */
    readonly deployKeyTitle: string;
    /**
     * Generation of the keypair. Changing it generates a new keypair, registers the new public
     * half as a new deploy key, hands the new private half to Flux, and only then deletes the old
     * deploy key and keypair: a key rotation.
     */
    readonly keyVersion: number;
    /** Whether the Flux syncing the repo pushes to it; only then is the deploy key write-enabled. */
    readonly writable: boolean;
}

/**
 * A GitHub repository that a Flux instance syncs, with the SSH keypair Flux uses for it. The public
 * half is registered as a deploy key, write-enabled when that Flux pushes (Flux v1 pushes image
 * updates and its sync tag unless --git-readonly); the private half is only ever a secret output.
 *
 * Removing it never loses history: a created repo is archived, not deleted, and its starting
 * files are neither rewritten nor deleted by later runs. A repo the program created and is then
 * told to adopt (`create` from true to false) is let go of, not archived.
 */
export class GitHubRepo extends pulumi.ComponentResource {
    /** `owner/repo`. */
    public readonly fullName: string;
    /** The SSH URL Flux clones. */
    public readonly sshUrl: string;
    public readonly publicKey: pulumi.Output<string>;
    public readonly fingerprint: pulumi.Output<string>;
    /** OpenSSH private key; a secret. */
    public readonly privateKey: pulumi.Output<string>;

    constructor(name: string, args: GitHubRepoArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:index:GitHubRepo", name, {}, opts);
        this.fullName = `${args.owner}/${args.repo}`;
        this.sshUrl = `git@${gitSshHost}:${this.fullName}.git`;

        const repository = args.create ? this.createRepository(name, args) : this.readRepository(name, args);
        warnWhenArchived(this.fullName, repository, this);

        // tls.PrivateKey has no input that could force a new key, so each generation is its own
        // resource, and so is its deploy key (see generationDeployKey): Pulumi creates the new
        // keypair and deploy key, moves the Flux secret over, and deletes the old ones last.
        // Generation 1 keeps the names it always had.
        const generation = args.keyVersion === 1 ? "" : `-v${args.keyVersion}`;
        const key = new tls.PrivateKey(`${name}-key${generation}`, { algorithm: "ED25519" }, {
            parent: this,
            additionalSecretOutputs: ["privateKeyOpenssh", "privateKeyPem", "privateKeyPemPkcs8"],
        });
        this.publicKey = key.publicKeyOpenssh.apply((k) => k.trim());
        this.fingerprint = key.publicKeyFingerprintSha256;
        this.privateKey = pulumi.secret(key.privateKeyOpenssh);

        generationDeployKey(name, {
            // An adopted repo's key names it as it always did (a read's outputs are the provider's).
            repository: args.create ? repository.name : args.repo,
            title: args.deployKeyTitle,
            publicKey: this.publicKey,
            generation: args.keyVersion,
            writable: args.writable,
        }, this);

        this.registerOutputs({
            fullName: this.fullName,
            sshUrl: this.sshUrl,
            publicKey: this.publicKey,
            fingerprint: this.fingerprint,
        });
    }

    /**
     * An adopted repo, read under the name a created one has. The read is what makes `create`
     * from true to false safe: without it the Repository would leave the program, and the engine
     * would delete it, which archives the team's live repo (archiveOnDestroy). A read of the same
     * URN and the same ID (a repository's ID is its name: terraform-provider-github v6.13.0
     * github/resource_github_repository.go, Create `d.SetId(repo.GetName())`) is what the engine
     * calls a relinquish: the resource stays in the stack as external, nothing is deleted
     * (pulumi v3.248.0 pkg/resource/deploy/step_generator.go GenerateReadSteps: only a read of a
     * different ID replaces the managed resource). The read also stops the program, before any
     * key is registered, when the repo does not exist or the token cannot see it.
     */
    private readRepository(name: string, args: GitHubRepoArgs): github.Repository {
        return github.Repository.get(`${name}-repo`, args.repo, undefined, { parent: this });
    }

    private createRepository(name: string, args: GitHubRepoArgs): github.Repository {
        const repository = new github.Repository(`${name}-repo`, {
            name: args.repo,
            description: args.description,
            visibility: "private",
            autoInit: true,
            archiveOnDestroy: true,
            hasWiki: false,
        }, { parent: this });

        // The configured branch becomes the default once, when the repo is created: the branch
        // GitHub's first commit made (the organisation's default name) is renamed to it, so the
        // branch exists before any file is written to it, and no second branch is left behind
        // (terraform-provider-github v6.13.0 github/resource_github_branch_default.go, Create:
        // with `rename` it renames the current default branch, and `wait_for_rename` polls until
        // GitHub reports the new default). After that the default is the team's: Read sets
        // `branch` to whatever default GitHub reports, so without ignoring `branch` a refresh
        // followed by `up` would set the program's branch back (Update edits the default), and a
        // changed `branch` in config would switch the default to a branch that may not exist.
        // `rename` and `waitForRename` are ignored too, so that stacks whose default branch was
        // made before they existed see no change (an ignored input missing from the old inputs
        // is dropped from the new ones: pulumi v3.248.0 sdk/go/common/resource/properties_path.go
        // Reset). Delete only forgets the resource, and retainOnDelete says so.
        const defaultBranch = new github.BranchDefault(`${name}-default-branch`, {
            repository: repository.name,
            branch: args.branch,
            rename: true,
            waitForRename: true,
        }, { parent: this, retainOnDelete: true, ignoreChanges: ["branch", "rename", "waitForRename"] });

        // Each file is its own commit through GitHub's contents API, which answers concurrent
        // commits to one branch with conflicts: each file waits for the one before it.
        // Written once: later changes in the program never reach a file (content, branch, message
        // and overwriteOnCreate are ignored), the team's edits stand, and deleting the resource
        // leaves the file in the repo. A file is never written over what is at its path
        // (overwriteOnCreate false: resource_github_repository_file.go Create refuses an
        // existing file); stacks whose files were written with overwriteOnCreate keep that
        // value in their state, since it is ignored. No `autocreateBranch*`: the provider marks
        // those fields deprecated ("Use `github_branch` resource instead"), which warns on every
        // preview, and the branch exists already. Their values in older stacks' state make no
        // difference: the provider suppresses their diff once autocreate_branch is false
        // (autoBranchDiffSuppressFunc).
        let previous: pulumi.Resource = defaultBranch;
        for (const [path, content] of Object.entries(args.initialFiles)) {
            previous = new github.RepositoryFile(`${name}-file-${path.replace(/[^A-Za-z0-9]+/g, "-").replace(/^-/, "")}`, {
                repository: repository.name,
                branch: args.branch,
                file: path,
                content,
                commitMessage: `platform: add ${path}`,
                overwriteOnCreate: false,
            }, {
                parent: this,
                dependsOn: [previous],
                retainOnDelete: true,
                ignoreChanges: ["content", "branch", "commitMessage", "overwriteOnCreate"],
            });
        }
        return repository;
    }
}

/**
 * A repo archived on GitHub is read-only, deploy keys included: a new key cannot be registered on
 * it, and deleting one fails in a way the provider takes for done (terraform-provider-github
 * v6.13.0 github/resource_github_repository_deploy_key.go Delete → handleArchivedRepoDelete in
 * util_repo.go: a 403 saying "archived" is swallowed), so the key leaves the stack and stays on
 * GitHub, still able to read the repo. Said while the key is still in the program, where it can be
 * dealt with. `archived` is what GitHub last reported: a created repo's from its last refresh.
 */
function warnWhenArchived(fullName: string, repository: github.Repository, parent: pulumi.Resource): void {
    repository.archived.apply((archived) => {
        if (archived) {
            void pulumi.log.warn(`${fullName} is archived on GitHub, so its deploy key can neither be rotated nor removed: ` +
                "a removal or rotation would leave the old key on GitHub with read access. Unarchive the repository " +
                "first (see docs/operations.md, \"A repository archived by hand\").", parent);
        }
    });
}
