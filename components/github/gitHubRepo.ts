import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { generationDeployKey } from "./deployKey";
import { gitSshHost } from "./knownHosts";

export interface GitHubRepoArgs {
    readonly owner: string;
    readonly repo: string;
    /** false: the repo exists already; only the deploy key is registered on it. */
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
 * files are neither rewritten nor deleted by later runs.
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

        const repository = args.create ? this.createRepository(name, args) : undefined;

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
            repository: repository ? repository.name : args.repo,
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

    private createRepository(name: string, args: GitHubRepoArgs): github.Repository {
        const repository = new github.Repository(`${name}-repo`, {
            name: args.repo,
            description: args.description,
            visibility: "private",
            autoInit: true,
            archiveOnDestroy: true,
            hasWiki: false,
        }, { parent: this });

        // Each file is its own commit. The first one creates the branch from whatever default
        // branch GitHub gave the new repo; the rest wait for it so they do not race to create it.
        const writeOnce: pulumi.CustomResourceOptions = {
            parent: this,
            retainOnDelete: true,
            ignoreChanges: ["content", "branch", "commitMessage", "overwriteOnCreate", "autocreateBranch",
                "autocreateBranchSourceBranch"],
        };
        const files: github.RepositoryFile[] = [];
        for (const [path, content] of Object.entries(args.initialFiles)) {
            files.push(new github.RepositoryFile(`${name}-file-${path.replace(/[^A-Za-z0-9]+/g, "-").replace(/^-/, "")}`, {
                repository: repository.name,
                branch: args.branch,
                file: path,
                content,
                commitMessage: `platform: add ${path}`,
                overwriteOnCreate: true,
                autocreateBranch: true,
                autocreateBranchSourceBranch: repository.defaultBranch,
            }, files.length === 0 ? writeOnce : { ...writeOnce, dependsOn: [files[0]] }));
        }

        if (files.length > 0) {
            // Only once a file has put the branch there can it become the default.
            new github.BranchDefault(`${name}-default-branch`, {
                repository: repository.name,
                branch: args.branch,
            }, { parent: this, dependsOn: files, retainOnDelete: true });
        }
        return repository;
    }
}
