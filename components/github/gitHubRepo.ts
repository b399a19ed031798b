import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { generationDeployKey } from "./deployKey";
import { gitSshHost } from "./knownHosts";
import { RepoTemplateRef } from "./repoTemplate";
import { writeStartingLayout } from "./startingLayout";

/**
 * What a created repo starts with: files the program commits one by one after creating it, or a
 * template repository GitHub copies in the one request that creates it.
 */
export type RepoStart =
    | { readonly files: Readonly<Record<string, string>> }
    | { readonly template: RepoTemplateRef };

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
    /** What a created repo starts with, then left to its owners; required when `create` is true, unused otherwise. */
    readonly start?: RepoStart;
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
    /**
     * What must exist before any GitHub object of the repo is made, so that a failure there (a
     * team's namespace the cluster already has) leaves nothing on GitHub.
     */
    readonly after?: readonly pulumi.Resource[];
    /**
     * Other stacks sync the repo (a fleet's team repo): a created repo is left as it is when it
     * leaves the program, never archived under them.
     */
    readonly shared?: boolean;
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
            // A change of write access is a new keypair too: its deploy key is then replaced new
            // key first, which GitHub would refuse with the same public key (deployKey.ts).
            replacementTrigger: args.writable ? "write" : "read",
            additionalSecretOutputs: ["privateKeyOpenssh", "privateKeyPem", "privateKeyPemPkcs8"],
        });
        this.publicKey = key.publicKeyOpenssh.apply((k) => k.trim());
        this.fingerprint = key.publicKeyFingerprintSha256;
        const deployKey = generationDeployKey(name, {
            // An adopted repo's key names it as it always did (a read's outputs are the provider's).
            repository: args.create ? repository.name : args.repo,
            title: args.deployKeyTitle,
            publicKey: this.publicKey,
            generation: args.keyVersion,
            writable: args.writable,
            after: args.after,
        }, this);
        // The private key is handed on only once GitHub holds its public half, so the engine's
        // Secret changes to a new key after the new deploy key exists: Flux never fetches with a
        // key GitHub does not know (the Secret takes this output, and with it the dependency).
        this.privateKey = pulumi.secret(pulumi.all([key.privateKeyOpenssh, deployKey.id]).apply(([privateKey]) => privateKey));

        this.registerOutputs({
            fullName: this.fullName,
            sshUrl: this.sshUrl,
            publicKey: this.publicKey,
            fingerprint: this.fingerprint,
        });
    }

    /**
     * An adopted repo, read under the name a created one has: `create` from true to false then lets
     * go of a created repo instead of deleting (archiving) it, and a missing repo stops the program
     * before any key is registered (docs/upstream.md, "Letting go of a repo").
     */
    private readRepository(name: string, args: GitHubRepoArgs): github.Repository {
        return github.Repository.get(`${name}-repo`, args.repo, undefined, { parent: this, dependsOn: [...args.after ?? []] });
    }

    private createRepository(name: string, args: GitHubRepoArgs): github.Repository {
        if (!args.start) {
            throw new Error(`${this.fullName}: a repo the program creates needs its starting files or a template`);
        }
        const template = "template" in args.start ? args.start.template : undefined;
        const repository = new github.Repository(`${name}-repo`, {
            name: args.repo,
            description: args.description,
            visibility: "private",
            autoInit: true,
            archiveOnDestroy: true,
            hasWiki: false,
            ...(template ? { template: { owner: template.owner, repository: template.repository, includeAllBranches: false } } : {}),
        }, {
            parent: this,
            dependsOn: [...template ? [template.ready] : [], ...args.after ?? []],
            // A repo keeps whatever template it started from (docs/upstream.md, "Templates").
            // The repo waits for the template's last file, so GitHub copies the whole layout.
            ...template ? { ignoreChanges: ["template"] } : {},
            ...args.shared ? { retainOnDelete: true } : {},
        });
        if ("files" in args.start) {
            writeStartingLayout(name, { repository: repository.name, branch: args.branch, files: args.start.files }, this);
        }
        // From a template, the repo starts on the template's default branch, which is `branch`
        // (the template is made per branch), with its files: nothing more to write. A repo
        // created from files before templates existed had its default branch and files as
        // resources; retainOnDelete leaves both on GitHub when they leave the program.
        return repository;
    }
}

/**
 * A repo archived on GitHub keeps its deploy key whatever the program does (docs/upstream.md,
 * "Archived repositories"): said while the key is still in the program, where it can be dealt with.
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
