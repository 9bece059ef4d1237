// An analytics endpoint's answer as a page sees it: the data, or the error to show in place of the view.
export type Loaded<T> = { status: 'ok'; data: T } | { status: 'error'; httpStatus: number; message: string };
