// A metav1.LabelSelector against a set of labels (k8s.io/apimachinery pkg/apis/meta/v1/helpers.go,
// LabelSelectorAsSelector): matchLabels and matchExpressions all hold; an empty selector matches all.

export interface LabelSelector {
    readonly matchLabels?: Readonly<Record<string, string>>;
    readonly matchExpressions?: ReadonlyArray<{ readonly key: string; readonly operator: string; readonly values?: readonly string[] }>;
}

export function selectorMatches(selector: LabelSelector | undefined, labels: Readonly<Record<string, string>>): boolean {
    if (selector === undefined) {
        return true;
    }
    const byLabels = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
    const byExpressions = (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
        switch (operator) {
            case "In": return key in labels && values.includes(labels[key]);
            case "NotIn": return !(key in labels) || !values.includes(labels[key]);
            case "Exists": return key in labels;
            case "DoesNotExist": return !(key in labels);
            default: throw new Error(`unknown selector operator ${operator}`);
        }
    });
    return byLabels && byExpressions;
}
