import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("care_portal_privacy", {
    url: "/my/privacy",
    steps: () => [
        {
            content: "Emotion analysis is on (the company's default)",
            trigger: "form.o_care_privacy_form input[name=emotion]:checked",
        },
        {
            content: "Turn emotion analysis off",
            trigger: "form.o_care_privacy_form input[name=emotion]",
            run: "click",
        },
        {
            content: "Save the choices",
            trigger: "form.o_care_privacy_form button.o_care_privacy_save",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The choice is saved",
            trigger: ".o_care_privacy_saved",
        },
        {
            content: "The switch stays off",
            trigger: "form.o_care_privacy_form input[name=emotion]:not(:checked)",
        },
    ],
});
