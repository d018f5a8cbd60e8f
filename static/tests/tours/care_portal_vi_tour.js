import { registry } from "@web/core/registry";

/*
 * The customer's portal pages in Vietnamese (issue 11): /my, the tickets list, a
 * ticket, then the new-ticket form (filled in part to run the article suggestions,
 * never sent). The portal user's language is vi_VN (tests/test_ui_tour.py).
 */

registry.category("web_tour.tours").add("care_portal_vi", {
    url: "/my",
    steps: () => [
        {
            content: "The portal home has the tickets entry in Vietnamese",
            trigger: ".o_care_portal_home_entry:contains('Phiếu hỗ trợ') .o_care_new_ticket:contains('Phiếu hỗ trợ mới')",
        },
        {
            content: "Open the tickets list",
            trigger: ".o_care_portal_home_entry a[href$='/my/tickets']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The list has Vietnamese column titles",
            trigger: "table:has(th:contains('Tiêu đề')):has(th:contains('Cập nhật gần nhất')) .o_care_portal_ticket_row",
        },
        {
            content: "The stage is shown in Vietnamese",
            trigger: ".o_care_portal_ticket_row:contains('Máy giặt kêu to') .badge:contains('Mới')",
        },
        {
            content: "Open the ticket",
            trigger: ".o_care_portal_ticket_row a:contains('Máy giặt kêu to')",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The ticket page shows the subject",
            trigger: ".o_care_portal_ticket .o_care_ticket_subject:contains('Máy giặt kêu to')",
        },
        {
            content: "The conversation is titled in Vietnamese",
            trigger: ".o_care_portal_ticket h4#care_thread:contains('Trao đổi')",
        },
        {
            content: "The reply form is in Vietnamese",
            trigger: "form.o_care_reply_form label[for=care_reply_body]:contains('Phản hồi của quý khách')",
        },
        {
            content: "The customer can close the ticket (Vietnamese button)",
            trigger: "button.o_care_close:contains('Vấn đề của tôi đã được giải quyết')",
        },
        {
            content: "Back to the tickets list from the breadcrumb",
            trigger: ".breadcrumb a[href*='/my/tickets']:contains('Phiếu hỗ trợ')",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Open the new-ticket form",
            trigger: "a.o_care_new_ticket:contains('Phiếu hỗ trợ mới')",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The form is titled in Vietnamese",
            trigger: ".o_care_ticket_new h2:contains('Phiếu hỗ trợ mới')",
        },
        {
            content: "The form labels are in Vietnamese",
            trigger: "form.o_care_ticket_form:has(label[for=care_topic]:contains('Chủ đề')):has(select[name=topic_id] option:contains('Đơn hàng và giao hàng')) label[for=care_subject]:contains('Tiêu đề')",
        },
        {
            content: "Type a subject without accents",
            trigger: "form.o_care_ticket_form input[name=subject]",
            run: "edit bao hanh dien thoai",
        },
        {
            content: "A help article is suggested, introduced in Vietnamese",
            trigger: ".o_care_suggestions:not(.d-none):contains('Các bài viết sau có thể giải đáp') .o_care_suggestion_list li:contains('Cách kiểm tra bảo hành điện thoại')",
        },
        {
            content: "The send button is in Vietnamese (not clicked)",
            trigger: "form.o_care_ticket_form button.o_care_submit:contains('Gửi')",
        },
    ],
});
