import { Interaction } from "@web/public/interaction";
import { registry } from "@web/core/registry";
import { rpc } from "@web/core/network/rpc";

/**
 * While a customer types the subject of a new ticket, suggest up to five
 * published help centre articles (search before you ask).
 */
export class CareTicketSuggest extends Interaction {
    static selector = ".o_care_ticket_form";
    dynamicContent = {
        ".o_care_subject": {
            "t-on-input": this.debounced(this.onSubjectInput, 400),
        },
    };

    async onSubjectInput(ev) {
        const query = ev.target.value.trim();
        const box = this.el.querySelector(".o_care_suggestions");
        if (!box) {
            return;
        }
        const articles =
            query.length < 3 ? [] : await this.waitFor(rpc("/help/suggest", { query }));
        const list = box.querySelector(".o_care_suggestion_list");
        list.replaceChildren();
        for (const article of articles) {
            const item = document.createElement("li");
            const link = document.createElement("a");
            link.href = article.url;
            link.target = "_blank";
            // textContent: article titles are shown as text, never as HTML.
            link.textContent = article.name;
            item.appendChild(link);
            list.appendChild(item);
        }
        box.classList.toggle("d-none", !articles.length);
    }
}

registry
    .category("public.interactions")
    .add("customer_care.care_ticket_suggest", CareTicketSuggest);
