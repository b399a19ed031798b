// What makes a single config value acceptable. Each rule returns the end of a sentence that
// starts with the offending value, or undefined when the value is fine.
import { branchNameProblem } from "./branchName";
import { Rule } from "../components/shared/settings/fields";
import { addonNamespaces } from "../components/addons/registry";
import { systemNamespace } from "../components/shared/names";

const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

// Namespaces a team must never own: Kubernetes' own, and the platform's (every add-on's, installed or not).
const reservedNamespaces = ["default", systemNamespace, ...addonNamespaces().sort()];

export const teamName: Rule<string> = (name) => {
    if (name.length > 63) {
        return `is too long: a team name is its namespace, at most 63 characters (it has ${name.length})`;
    }
    if (!dns1123Label.test(name)) {
        return "is not a valid team name: it becomes a namespace, so use lowercase letters, digits " +
            "and '-', starting and ending with a letter or digit (a DNS-1123 label)";
    }
    if (reservedNamespaces.includes(name) || name.startsWith("kube-")) {
        return `is reserved: the namespaces ${reservedNamespaces.join(", ")} and kube-* belong to ` +
            "Kubernetes and the platform";
    }
    return undefined;
};

export const repoName: Rule<string> = (name) => {
    if (!/^[A-Za-z0-9._-]{1,100}$/.test(name) || name === "." || name === "..") {
        return "is not a valid GitHub repository name: use letters, digits, '.', '-' and '_', at most 100";
    }
    return undefined;
};

// GitHub's rule for user and organisation names, as its sign-up form states it: letters, digits
// and single hyphens, neither first nor last, at most 39 characters (the Join GitHub form's
// validation messages, recorded in shinnn/github-username-regex README.md). A name outside it
// cannot exist, so every repo and deploy key call would fail halfway through `pulumi up`.
export const githubOwner: Rule<string> = (owner) => {
    if (owner.length > 39) {
        return `is not a GitHub organisation or user name: at most 39 characters (it has ${owner.length})`;
    }
    if (!/^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$/.test(owner)) {
        return "is not a GitHub organisation or user name: letters, digits and single hyphens, " +
            "not starting or ending with a hyphen";
    }
    return undefined;
};

export const branchName: Rule<string> = (branch) => {
    const why = branchNameProblem(branch);
    return why ? `is not a branch name git accepts (git check-ref-format --branch): ${why}` : undefined;
};

export const repoPath: Rule<string> = (path) => {
    if (path === "") {
        return undefined;
    }
    const segments = path.split("/");
    if (path.startsWith("/") || segments.some((s) => s === "" || s === "." || s === "..") ||
        !/^[A-Za-z0-9._/-]+$/.test(path)) {
        return "is not a path inside the repository: use a relative path such as \"cluster\" or " +
            "\"apps/prod\", without '..', a leading '/' or a trailing '/'";
    }
    return undefined;
};
