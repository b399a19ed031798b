// A branch name as `git check-ref-format --branch` judges it: fluxd clones and fetches the branch
// with git (`--git-branch`), and the program makes it the default branch of a repo it creates, so a
// name git refuses or reads as something else breaks the team's sync long after `pulumi up`.
// Where git's rules were read: docs/upstream.md, "Branch names".

// The characters git refuses anywhere in a ref name ('*' included: it is allowed only in refspec patterns).
// eslint-disable-next-line no-control-regex
const forbiddenCharacter = /[\x00-\x20\x7f~^:?*[\\]/;

function describe(character: string): string {
    const code = character.charCodeAt(0);
    if (character === " ") {
        return "a space";
    }
    return code < 0x20 || code === 0x7f ? `a control character (0x${code.toString(16).padStart(2, "0")})` : `'${character}'`;
}

/** Why git would refuse `branch` as a branch name, or undefined when it accepts it. */
export function branchNameProblem(branch: string): string | undefined {
    if (branch === "") {
        return "it is empty";
    }
    if (branch.startsWith("-")) {
        return "it starts with '-', which git reads as an option";
    }
    if (branch === "HEAD") {
        return "HEAD is git's name for the checked-out commit, not a branch";
    }
    if (branch === "@") {
        return "'@' alone is git's shorthand for HEAD";
    }
    const bad = forbiddenCharacter.exec(branch);
    if (bad) {
        return `it contains ${describe(bad[0])}`;
    }
    if (branch.includes("..")) {
        return "it contains '..', which git reads as a range";
    }
    if (branch.includes("@{")) {
        return "it contains '@{', which git reads as a reflog reference";
    }
    for (const component of branch.split("/")) {
        if (component === "") {
            return "it has an empty component: a leading or trailing '/', or '//'";
        }
        if (component.startsWith(".")) {
            return `its component "${component}" starts with '.'`;
        }
        if (component.endsWith(".lock")) {
            return `its component "${component}" ends with ".lock"`;
        }
    }
    if (branch.endsWith(".")) {
        return "it ends with '.'";
    }
    return undefined;
}
