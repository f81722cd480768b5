/** One fact of how a value was read by its flags, outermost first; the browser words each. */
export type ReadNote =
  | { readonly kind: 'inflated' }
  | { readonly kind: 'inflateTooLarge'; readonly limitMiB: number }
  | { readonly kind: 'inflateFailed' }
  | { readonly kind: 'pickle' }
  | { readonly kind: 'pickleUnreadable'; readonly reason: string }
  | { readonly kind: 'integer'; readonly flag: number }
  | { readonly kind: 'notText'; readonly size: number }
  | { readonly kind: 'cut'; readonly shown: number; readonly size: number }
  | { readonly kind: 'json' }
  | { readonly kind: 'text'; readonly flagged: boolean };
