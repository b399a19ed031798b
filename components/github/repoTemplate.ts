import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import { writeStartingLayout } from "./startingLayout";

/** A template repository as a new repo names it, and what to wait for before copying it. */
export interface RepoTemplateRef {
    readonly owner: string;
    readonly repository: string;
    /** The template's last starting file: a repo copied before it is written would miss files. */
    readonly ready: pulumi.Resource;
}

export interface RepoTemplateArgs {
    readonly owner: string;
    /** The template's name on GitHub. */
    readonly repo: string;
    /** Its default branch, the one a repo made from it starts with (and the only one it copies). */
    readonly branch: string;
    readonly description: string;
    /** The layout every repo made from it starts with. */
    readonly files: Readonly<Record<string, string>>;
}

/**
 * A template repository the platform owns: a starting layout written once, which GitHub copies
 * (its default branch only) into a new repo in the one request that creates it (docs/upstream.md,
 * "Templates"). So a new team repo costs GitHub one content-creating request instead of one for
 * the repo and one per file, and the files' commits are paid once per template, not per team.
 *
 * Like a team's repo it is archived, not deleted, when no team needs it any more, and its files
 * are written once and left alone (writeStartingLayout).
 */
export class RepoTemplate extends pulumi.ComponentResource {
    public readonly ref: RepoTemplateRef;

    constructor(name: string, args: RepoTemplateArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:index:RepoTemplate", name, {}, opts);
        const repository = new github.Repository(`${name}-repo`, {
            name: args.repo,
            description: args.description,
            visibility: "private",
            // GitHub lets repos be made from it (docs/upstream.md, "Templates").
            isTemplate: true,
            autoInit: true,
            archiveOnDestroy: true,
            hasWiki: false,
            hasIssues: false,
        }, { parent: this });
        const ready = writeStartingLayout(name, { repository: repository.name, branch: args.branch, files: args.files }, this);
        this.ref = { owner: args.owner, repository: args.repo, ready };
        this.registerOutputs({ repository: repository.name });
    }
}
