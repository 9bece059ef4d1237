declare global {
  namespace App {
    interface Locals {
      locale: 'zh-CN' | 'en';
      /** The language of the page's content when it is not the UI's (a survey page in the customer's language): <html lang>. */
      pageLang?: string;
      /** The signed-in staff member, or null (customers on /s/… pages, the login page). */
      user: import('$lib/access').SessionUser | null;
    }
    interface Error {
      message: string;
      /** The answering page's link that no longer opens (used, expired, unknown): said in its language. */
      closed?: import('$lib/survey/types').ClosedLink;
    }
  }
}
export {};
