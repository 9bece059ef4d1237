declare global {
  namespace App {
    interface Locals {
      locale: 'zh-CN' | 'en';
      /** The signed-in staff member, or null (customers on /s/… pages, the login page). */
      user: import('$lib/access').SessionUser | null;
    }
    interface Error {
      message: string;
    }
  }
}
export {};
