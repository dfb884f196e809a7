/** The action name of a `uses:` value, lower-cased, without the version: `actions/checkout`. */
export function actionName(uses: string): string {
  return uses.split('@')[0].trim().toLowerCase();
}
