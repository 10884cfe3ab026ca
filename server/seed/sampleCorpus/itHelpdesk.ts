import type { SampleCollection } from './SampleDocument.ts';

export const itHelpdesk: SampleCollection = {
  slug: 'it-helpdesk',
  name: 'IT helpdesk',
  language: 'en',
  description: 'Accounts, VPN, laptops and EDA licences.',
  assistant: {
    slug: 'it-helpdesk',
    name: 'IT helpdesk',
    description: 'Helps with accounts, VPN, laptops and EDA licence problems, from the IT knowledge base.',
    systemPrompt:
      'You are the IT helpdesk assistant. Answer from the knowledge-base passages provided, cite them as [n], give steps in order, ' +
      'and tell the user to open a ticket when the knowledge base does not cover the problem.',
  },
  documents: [
    {
      file: 'vpn-access.md',
      format: 'md',
      title: 'VPN Access',
      summary: 'How to connect to the company network from outside the office.',
      sections: [
        {
          heading: 'First connection',
          paragraphs: [
            'Install the VPN client from the Software Center, then sign in with your company email and approve the push notification in the authenticator app. The first connection enrols your laptop certificate, which takes about two minutes.',
          ],
        },
        {
          heading: 'Common problems',
          bullets: [
            'Error 809 or "gateway unreachable": your network blocks UDP 4500; switch the client to TCP mode under Settings > Transport.',
            'Certificate expired: connect once from the office network or open a ticket; certificates renew every 365 days.',
            'Slow EDA tools over VPN: use the remote compute farm through the browser desktop instead of running tools locally.',
          ],
        },
      ],
    },
    {
      file: 'laptops-and-accounts.html',
      format: 'html',
      title: 'Laptops and Accounts',
      summary: 'Getting a laptop, resetting a password and requesting access.',
      sections: [
        {
          heading: 'Password reset',
          paragraphs: [
            'Reset your password at the self-service portal with your authenticator app. Passwords need 14 characters and expire every 180 days. After a reset, reconnect the VPN and lock and unlock your laptop so the cached credentials update.',
          ],
        },
        {
          heading: 'Access requests',
          paragraphs: [
            'Request access to project repositories and compute queues in the access portal. Your manager approves first, then the resource owner. Most requests are done within one working day.',
          ],
        },
        {
          heading: 'Laptop replacement',
          paragraphs: [
            'Laptops are replaced every four years or when broken. Back up local files to your home directory before the swap; the helpdesk wipes returned laptops.',
          ],
        },
      ],
    },
    {
      file: 'eda-licenses.docx',
      format: 'docx',
      title: 'EDA Licence Server FAQ',
      summary: 'How EDA tool licences are served and what to do when a tool cannot check one out.',
      sections: [
        {
          heading: 'How licences are served',
          paragraphs: [
            'EDA licences are served by three redundant licence servers. Tools find them through the `LM_LICENSE_FILE` variable, which the module system sets when you load a tool, for example `module load sta/2026.03`.',
          ],
        },
        {
          heading: 'No licence available',
          bullets: [
            'Run `lmstat -a -c $LM_LICENSE_FILE` to see who holds the feature.',
            'Batch jobs wait for a licence when submitted with the `-lic` option of the compute farm; interactive sessions do not wait.',
            'If a licence stays checked out by a crashed job for more than an hour, open a ticket with the feature name and the job id.',
          ],
        },
      ],
    },
  ],
};
