/**
 * jsdom has <dialog> without showModal/close: these do what the browser does to the `open`
 * attribute, so a ConfirmDialog's content is visible to the queries once opened.
 */
export function installDialog(): void {
  const proto = HTMLDialogElement.prototype as HTMLDialogElement & { showModal?: () => void; close?: () => void };
  proto.showModal = function showModal(this: HTMLDialogElement) {
    this.setAttribute('open', '');
  };
  proto.close = function close(this: HTMLDialogElement) {
    this.removeAttribute('open');
  };
}
