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
    // The configured branch becomes the default once, when the repo is created: the branch
    // GitHub's first commit made (the organisation's default name) is renamed to it, so the
    // branch exists before any file is written to it, and no second branch is left behind
    // (terraform-provider-github v6.13.0 github/resource_github_branch_default.go, Create:
    // with `rename` it renames the current default branch, and `wait_for_rename` polls until
    // GitHub reports the new default). After that the default is the repo owners': Read sets
    // `branch` to whatever default GitHub reports, so without ignoring `branch` a refresh
    // followed by `up` would set the program's branch back (Update edits the default), and a
    // changed `branch` in config would switch the default to a branch that may not exist.
    // `rename` and `waitForRename` are ignored too, so that stacks whose default branch was
    // made before they existed see no change (an ignored input missing from the old inputs
    // is dropped from the new ones: pulumi v3.248.0 sdk/go/common/resource/properties_path.go
    // Reset). Delete only forgets the resource, and retainOnDelete says so.
    const defaultBranch = new github.BranchDefault(`${name}-default-branch`, {
        repository: args.repository,
        branch: args.branch,
        rename: true,
        waitForRename: true,
    }, { parent, retainOnDelete: true, ignoreChanges: ["branch", "rename", "waitForRename"] });

    // Each file is its own commit through GitHub's contents API, which answers concurrent
    // commits to one branch with conflicts: each file waits for the one before it.
    // Written once: later changes in the program never reach a file (content, branch, message
    // and overwriteOnCreate are ignored), the owners' edits stand, and deleting the resource
    // leaves the file in the repo. A file is never written over what is at its path
    // (overwriteOnCreate false: resource_github_repository_file.go Create refuses an
    // existing file); stacks whose files were written with overwriteOnCreate keep that
    // value in their state, since it is ignored. No `autocreateBranch*`: the provider marks
    // those fields deprecated ("Use `github_branch` resource instead"), which warns on every
    // preview, and the branch exists already. Their values in older stacks' state make no
    // difference: the provider suppresses their diff once autocreate_branch is false
    // (autoBranchDiffSuppressFunc).
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
