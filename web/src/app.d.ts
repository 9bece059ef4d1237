declare global {
  namespace App {
    interface Locals {
      locale: 'zh-CN' | 'en';
    }
    interface Error {
      message: string;
    }
  }
}
export {};
