// Number formats shared by the views.
export const money = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
export const signed = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2, signDisplay: 'exceptZero' });
export const count = new Intl.NumberFormat();

export function trend(change) {
  return change > 0 ? 'up' : change < 0 ? 'down' : '';
}
