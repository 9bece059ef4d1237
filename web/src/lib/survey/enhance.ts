/**
 * The survey pages' only script. The pages are rendered on the server and work as plain form posts
 * (csr = false: no framework code on the customer's phone); this adds what needs the browser, with the
 * same display logic as the server (./flow.ts, ./form-data.ts):
 * - questions whose condition depends on an answer on this page appear and go as the customer answers
 *   (without it the server renders them all, marked "only if this applies to you");
 * - the problems checklist's "no problem" unticks the others and the other way round; typing an
 *   "other" text picks "other";
 * - a text field's counter says how many characters are left;
 * - a second click while a post is under way does not post again;
 * - after a post, the address is the page's own again (a reload does not post the form a second time);
 * - the first question with an error gets the focus.
 */
import type { ChoiceQuestion, SurveyDefinition } from './definition';
import { changeSet, renderedQuestionIds } from './flow';
import { carriedAnswers, formDataToAnswers, otherFieldName, postedPageIndex } from './form-data';
import { DEFINITION_BLOCK_ID, SURVEY_FORM_ATTRIBUTE } from './page-script';

const form = document.querySelector<HTMLFormElement>(`form[${SURVEY_FORM_ATTRIBUTE}]`);
const block = document.getElementById(DEFINITION_BLOCK_ID);
const main = document.querySelector('main[lang]');
if (main) document.documentElement.lang = main.getAttribute('lang') ?? document.documentElement.lang;
if (location.search.startsWith('?/') && main) {
  // The address of a post (?/next, ?/lang…) becomes the link's own, in the language shown.
  history.replaceState(history.state, '', `${location.pathname}?lang=${encodeURIComponent(main.getAttribute('lang') ?? '')}`);
}
if (form && block) enhance(form, JSON.parse(block.textContent ?? '{}') as SurveyDefinition);

function enhance(form: HTMLFormElement, definition: SurveyDefinition) {
  const questionOf = (element: Element | null) => {
    const id = element?.closest('[data-question]')?.getAttribute('data-question');
    return definition.pages.flatMap((p) => p.questions).find((q) => q.id === id);
  };

  // Conditional questions: shown or taken out of the form (then nothing of them is posted).
  const conditional = [...form.querySelectorAll<HTMLElement>('[data-question][data-conditional]')].map((element) => ({
    element,
    placeholder: document.createComment(''),
  }));
  for (const note of form.querySelectorAll<HTMLElement>('[data-if-applies]')) {
    for (const described of form.querySelectorAll(`[aria-describedby~="${note.id}"]`)) {
      const rest = (described.getAttribute('aria-describedby') ?? '').split(' ').filter((id) => id && id !== note.id);
      if (rest.length > 0) described.setAttribute('aria-describedby', rest.join(' '));
      else described.removeAttribute('aria-describedby');
    }
    note.remove();
  }
  const applyLogic = () => {
    if (conditional.length === 0) return;
    const data = new FormData(form);
    const pageIndex = postedPageIndex(definition, data);
    if (pageIndex === null) return;
    const { answers } = changeSet(definition, carriedAnswers(definition, data, pageIndex) ?? {}, formDataToAnswers(definition, data, pageIndex));
    const shown = renderedQuestionIds(definition, answers, pageIndex, true);
    for (const { element, placeholder } of conditional) {
      const show = shown.has(element.getAttribute('data-question') ?? '');
      if (show && !element.isConnected) placeholder.replaceWith(element);
      else if (!show && element.isConnected) element.replaceWith(placeholder);
    }
  };

  // A text field's counter (TextQuestion.svelte): "<id>-count" beside the field "<id>-input".
  const count = (counter: HTMLElement) => {
    const field = document.getElementById(counter.id.replace(/-count$/, '-input')) as HTMLInputElement | HTMLTextAreaElement | null;
    if (!field) return;
    const left = field.maxLength - field.value.length;
    counter.textContent = field.value.length > 0 ? (counter.dataset.left ?? '').replace('{n}', String(Math.max(left, 0))) : (counter.dataset.limit ?? '');
    counter.classList.toggle('near', field.value.length > 0 && left < 50);
  };

  const choose = (input: HTMLInputElement) => {
    const question = questionOf(input);
    if (!question || (question.type !== 'single' && question.type !== 'multi' && question.type !== 'problems')) return;
    const choice = question as ChoiceQuestion;
    const box = input.closest('[data-question]')!;
    const option = (id: string | undefined) => (id ? box.querySelector<HTMLInputElement>(`input[value="${id}"]:not(.other)`) : null);
    const otherText = box.querySelector<HTMLInputElement>(`input[name="${otherFieldName(question.id)}"]`);
    const noProblem = choice.type === 'problems' ? choice.noProblem?.id : undefined;
    if (input === otherText) {
      // typing an "other" text picks "other"
      const other = option(choice.other?.id);
      if (other && input.value.trim() !== '' && !other.checked) {
        other.checked = true;
        const none = option(noProblem);
        if (none) none.checked = false;
      }
      return;
    }
    if (input.type !== 'checkbox') return;
    if (input.checked && noProblem && input.value === noProblem) {
      for (const other of box.querySelectorAll<HTMLInputElement>('input[type=checkbox]')) if (other !== input) other.checked = false;
      if (otherText) otherText.value = '';
    } else if (input.checked) {
      const none = option(noProblem);
      if (none) none.checked = false;
    } else if (input.value === choice.other?.id && otherText) {
      otherText.value = '';
    }
  };

  form.addEventListener('input', (event) => {
    const target = event.target;
    if (target instanceof HTMLInputElement && target.classList.contains('other')) choose(target);
    if (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement) {
      const counter = document.getElementById(target.id.replace(/-input$/, '-count'));
      if (counter?.dataset.left !== undefined) count(counter);
    }
    applyLogic();
  });
  form.addEventListener('change', (event) => {
    if (event.target instanceof HTMLInputElement) choose(event.target);
    applyLogic();
  });

  // One post at a time: a double click sends the answers once.
  let sending = false;
  form.addEventListener('submit', (event) => {
    if (sending) return event.preventDefault();
    sending = true;
    event.submitter?.setAttribute('aria-busy', 'true');
    // a post the customer stopped (or that never left) may be tried again
    setTimeout(() => {
      sending = false;
      event.submitter?.removeAttribute('aria-busy');
    }, 15_000);
  });
  // back to this page from the browser's history: it may post again
  addEventListener('pageshow', (event) => {
    if (!event.persisted) return;
    sending = false;
    for (const busy of form.querySelectorAll('[aria-busy]')) busy.removeAttribute('aria-busy');
  });

  applyLogic();
  for (const counter of form.querySelectorAll<HTMLElement>('.count[data-left]')) count(counter);
  const invalid = form.querySelector<HTMLElement>('[data-question].invalid');
  if (invalid) {
    invalid.scrollIntoView({ block: 'start' });
    invalid.querySelector<HTMLElement>('input:checked:not([type=hidden]), input:not([type=hidden]), textarea')?.focus({ preventScroll: true });
  }
}
