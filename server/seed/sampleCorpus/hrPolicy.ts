import type { SampleCollection } from './SampleDocument.ts';

export const hrPolicy: SampleCollection = {
  slug: 'hr-policy',
  name: 'HR policies',
  language: 'en',
  description: 'Time off, travel and expenses, and remote work.',
  assistant: {
    slug: 'hr-policy',
    name: 'HR-policy assistant',
    description: 'Answers questions about time off, travel, expenses and remote work from the HR policies.',
    systemPrompt:
      'You are the HR-policy assistant. Answer from the policy passages provided, cite them as [n], and refer the employee to ' +
      'their HR partner for individual cases or anything the policies do not cover.',
  },
  documents: [
    {
      file: 'time-off-policy.md',
      format: 'md',
      title: 'Time Off Policy',
      summary: 'Paid time off, public holidays and sick leave.',
      sections: [
        {
          heading: 'Paid time off',
          paragraphs: [
            'Full-time employees receive 25 days of paid time off per calendar year, accrued monthly. Up to 5 unused days carry over to the next year and expire on 31 March. Request time off in the HR portal at least two weeks ahead for absences longer than three days.',
          ],
        },
        {
          heading: 'Sick leave',
          paragraphs: [
            'Sick leave is separate from paid time off. Tell your manager on the first day of absence; a medical certificate is needed from the fourth consecutive day.',
          ],
        },
        {
          heading: 'Tape-out periods',
          paragraphs: [
            "Teams may declare a blackout of at most two weeks before a tape-out, during which new time-off requests need the chip lead's approval. Time off approved before the blackout was declared is always honoured.",
          ],
        },
      ],
    },
    {
      file: 'travel-and-expenses.pdf',
      format: 'pdf',
      title: 'Travel and Expenses Policy',
      summary: 'Booking business travel and claiming expenses.',
      sections: [
        {
          heading: 'Booking',
          paragraphs: [
            'Book flights and hotels through the travel portal. Economy class applies to flights under six hours; premium economy is allowed above six hours. Hotels are capped at the city rate shown in the portal.',
          ],
        },
        {
          heading: 'Expense claims',
          bullets: [
            'Submit claims within 30 days with itemised receipts.',
            'Meals are reimbursed up to 60 per day on travel days.',
            'Conference fees need manager pre-approval.',
          ],
        },
      ],
    },
    {
      file: 'remote-work-policy.docx',
      format: 'docx',
      title: 'Remote Work Policy',
      summary: 'Working from home and from abroad.',
      sections: [
        {
          heading: 'Hybrid schedule',
          paragraphs: [
            'Employees work from the office at least two days per week, agreed with their team. Lab and bring-up work happens on site.',
          ],
        },
        {
          heading: 'Working from abroad',
          paragraphs: [
            'Working from another country is allowed for up to 20 working days per year with manager and HR approval, because of tax and export-control rules. Design data under export control may not be accessed from abroad at all.',
          ],
        },
        {
          heading: 'Equipment',
          paragraphs: [
            'A home-office allowance of 500 is paid once for a monitor, chair or desk. Company laptops must use the VPN on home networks.',
          ],
        },
      ],
    },
  ],
};
