import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";

export interface StartingLayoutArgs {
    /** The repo's name: the Repository's output, so that the layout waits for it. */
    readonly repository: pulumi.Input<string>;
    /** The branch made the default and written to. */
    readonly branch: string;
    /** Path to content, committed in this order. */
    readonly files: Readonly<Record<string, string>>;
}

/**
 * A new repo's starting layout, written once: the branch made the default, then one commit per
 * file. Children of `parent`, named `${name}-default-branch` and `${name}-file-<path>` (the names
 * GitHubRepo always gave them, so that stacks keep their URNs). Returns the last resource, which
 * whatever needs the whole layout waits for.
 */
export function writeStartingLayout(name: string, args: StartingLayoutArgs, parent: pulumi.Resource): pulumi.Resource {
    // The configured branch becomes the default once; afterwards it is the owners' (docs/upstream.md,
    // "A new repo's default branch and starting files").
    const defaultBranch = new github.BranchDefault(`${name}-default-branch`, {
        repository: args.repository,
        branch: args.branch,
        rename: true,
        waitForRename: true,
    }, { parent, retainOnDelete: true, ignoreChanges: ["branch", "rename", "waitForRename"] });

    // One commit per file, each after the one before (the contents API conflicts on concurrent
    // commits); written once, never over an existing file, left in the repo when deleted.
    let previous: pulumi.Resource = defaultBranch;
    for (const [path, content] of Object.entries(args.files)) {
        previous = new github.RepositoryFile(`${name}-file-${path.replace(/[^A-Za-z0-9]+/g, "-").replace(/^-/, "")}`, {
            repository: args.repository,
            branch: args.branch,
            file: path,
            content,
            commitMessage: `platform: add ${path}`,
            overwriteOnCreate: false,
        }, {
            parent,
            dependsOn: [previous],
            retainOnDelete: true,
            ignoreChanges: ["content", "branch", "commitMessage", "overwriteOnCreate"],
        });
    }
    return previous;
}
