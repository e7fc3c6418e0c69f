//! Word lists the generator builds text from: French speech about work in
//! harm-reduction services, with a little CJK and emoji so that width and
//! search code meet real-world text. Pure data.

/// Who or what a sentence is about.
pub const SUBJECTS: &[&str] = &[
    "Un usager",
    "Une usagère",
    "Le gars de la file",
    "Ma collègue",
    "Mon collègue",
    "La cheffe de service",
    "Le voisin d'en face",
    "Un monsieur que je connais depuis des années",
    "Une femme enceinte",
    "Le vigile de la gare",
    "La police",
    "Un patrouilleur",
    "L'infirmière de garde",
    "Le travailleur pair",
    "L'éducatrice",
    "La médiatrice santé",
    "Un jeune qui vient d'arriver",
    "Le propriétaire du bar",
    "Quelqu'un dans la foule",
    "Le directeur",
    "Un bénévole",
    "La dame du pressing",
    "Un type que personne ne connaissait",
    "Le conseil de quartier",
];

/// What they did.
pub const VERBS: &[&str] = &[
    "m'a insulté devant tout le monde",
    "a tapé dans la porte",
    "a crié qu'on lui avait volé ses affaires",
    "m'a dit « je sais où tu prends ton bus »",
    "a jeté le café par terre",
    "est revenu le lendemain pour s'excuser",
    "a menacé de tout casser",
    "m'a poussée contre le comptoir",
    "a filmé l'accueil avec son téléphone",
    "a appelé la mairie pour se plaindre",
    "nous a traités de dealers",
    "a refusé de sortir à la fermeture",
    "a sorti un tesson de bouteille",
    "m'a suivie jusqu'au métro",
    "a fait une overdose dans les toilettes",
    "nous a remerciés, pour une fois",
    "a demandé dix euros, encore",
    "a parlé de moi comme d'un « tox »",
    "a laissé un message vocal à trois heures du matin",
    "a posté notre adresse sur un groupe Facebook",
    "m'a pris pour la femme de ménage",
    "a contrôlé les papiers de tout le monde",
    "s'est effondré sur le trottoir",
    "a rigolé, mais jaune",
];

/// Where or when it happened.
pub const PLACES: &[&str] = &[
    "à l'ouverture",
    "devant la porte",
    "pendant la maraude",
    "dans la salle de consommation",
    "au téléphone",
    "sur le parking",
    "à la gare",
    "dans le bureau fermé",
    "au squat de la rue Pasteur",
    "en plein hiver",
    "le jour des allocations",
    "juste avant la fermeture",
    "au festival, l'été dernier",
    "dans le couloir de l'hôpital",
    "à la sortie du tribunal",
    "en réunion d'équipe",
    "sous le pont",
    "près de l'école",
    "à la pharmacie",
    "dans le camion",
];

/// How the speaker felt or reacted.
pub const FEELINGS: &[&str] = &[
    "et sur le moment j'ai rien dit",
    "et j'ai fait semblant de rire",
    "et ça m'a glacé",
    "et j'ai pris un autre bus pendant une semaine",
    "et franchement j'en ai pleuré le soir",
    "et on en a parlé en analyse de la pratique",
    "et la direction n'a rien fait",
    "et j'ai eu peur pour ma collègue",
    "et je me suis senti seul",
    "et après on a changé les horaires",
    "et personne n'a porté plainte",
    "et j'ai appelé le 15",
    "et on a fermé plus tôt",
    "et ça, ça m'a blessée plus que le coup",
    "et je crois que je m'y suis habitué, c'est ça le pire",
    "et ma superviseure m'a aidé à trouver les mots",
];

/// Short turns and fillers that real speech is full of.
pub const FILLERS: &[&str] = &[
    "Voilà.",
    "C'est ça.",
    "Je sais pas, franchement.",
    "Oui, oui.",
    "Bah non.",
    "Comment dire…",
    "C'est compliqué.",
    "(rires)",
    "(silence)",
    "Hmm.",
    "Exactement.",
    "Peut-être, je sais pas.",
    "Non mais c'est vrai, hein.",
    "Enfin bref.",
    "C'est pas rien, quand même.",
];

/// Interviewer questions.
pub const QUESTIONS: &[&str] = &[
    "Est-ce que vous pouvez me raconter la dernière fois que c'est arrivé ?",
    "Qu'est-ce que vous avez fait à ce moment-là ?",
    "Et l'équipe, comment elle a réagi ?",
    "Vous en avez parlé à quelqu'un, après ?",
    "Est-ce que c'est déjà allé plus loin que des menaces ?",
    "Comment vous faites, avec cette double place ?",
    "Vous avez une supervision ?",
    "Qu'est-ce qui a changé depuis ?",
    "Et la police, dans tout ça ?",
    "Vous diriez que c'est de la violence, ça ?",
    "Est-ce que les riverains vous parlent directement ?",
    "Qu'est-ce qui vous aide à tenir ?",
    "Ça vous arrive de ne pas en parler ?",
    "Et quand c'est une femme qui est à l'accueil ?",
    "Est-ce qu'il y a une procédure, chez vous ?",
    "Vous pouvez préciser ce que vous entendez par là ?",
    "Ça se passe comment, les jours d'allocations ?",
    "Si vous deviez changer une chose, ce serait quoi ?",
];

/// Words quoted in another language: what a participant heard or said.
pub const FOREIGN_QUOTES: &[&str] = &[
    "« 没关系 »",
    "« 谢谢你 »",
    "« 大丈夫です »",
    "« 滚开 »",
    "« 괜찮아요 »",
    "« شكرا »",
    "« obrigado »",
    "« dziękuję »",
];

/// Emoji as they appear in quoted text messages.
pub const EMOJI: &[&str] = &["👍", "🙂", "😡", "🙏", "💊", "🚓", "❤️", "😂"];

/// First names, upper case, for `[NAME]` turns in focus groups.
pub const GROUP_NAMES: &[&str] = &[
    "NADIA", "KARIM", "SOPHIE", "THOMAS", "AMINATA", "JULIEN", "LÉA", "MEI", "JOÃO", "CHLOÉ",
    "RACHID", "HÉLÈNE", "YOUSSEF", "ÉMILIE", "BORIS", "FATOU",
];

/// Who chairs a focus group.
pub const MODERATORS: &[&str] = &["MODÉRATRICE", "MODERATOR", "ANIMATEUR"];

pub const CITIES: &[&str] = &[
    "Marseille",
    "Lyon",
    "Lille",
    "Toulouse",
    "Bordeaux",
    "Nantes",
    "Strasbourg",
    "Montpellier",
    "Rennes",
    "Grenoble",
    "Saint-Étienne",
    "Nice",
    "Rouen",
    "Metz",
    "Besançon",
];

pub const SITES: &[&str] = &[
    "CAARUD Le Fanal",
    "CSAPA La Traverse",
    "CAARUD Quai Vert",
    "Halte soins addictions Les Tilleuls",
    "Équipe mobile Sud",
    "Accueil de jour Ste-Marthe",
    "CAARUD L'Escale",
    "Boutique Solidarité",
    "Maraude Est",
    "CSAPA Horizon",
    "Espace santé Bel-Air",
    "Programme d'échange de seringues Nord",
    "HSA Rue de l'Épée",
    "Point Fixe Gare",
    "Bus méthadone",
    "CAARUD Arc-en-ciel",
    "Accueil femmes La Maison",
    "Squat-outreach Centre",
    "Permanence Prison",
    "Espace jeunes Bastide",
];

pub const ROLES: &[&str] = &[
    "peer worker",
    "social worker",
    "nurse",
    "health mediator",
    "service manager",
    "outreach worker",
    "volunteer",
    "psychologist",
];

/// Coder ids for `--coders` (more than these become `coder-13`, …).
pub const CODERS: &[&str] = &[
    "amina", "bastien", "chloe", "david", "elodie", "farid", "gaelle", "hugo", "ines", "jules",
    "karima", "loic",
];

/// Field-note observations (no speakers).
pub const OBSERVATIONS: &[&str] = &[
    "La file s'allonge devant la porte, une vingtaine de personnes, ça s'agace.",
    "Deux policiers passent lentement en voiture, sans s'arrêter.",
    "L'équipe se répartit les tâches à voix basse avant d'ouvrir.",
    "Un homme frappe à la vitre et montre sa montre.",
    "Une riveraine prend des photos depuis son balcon.",
    "Le café est prêt, l'ambiance se détend un peu.",
    "Une dispute éclate près des casiers, vite calmée par Karim.",
    "On ferme le volet métallique à moitié, par précaution.",
    "Le téléphone de l'accueil sonne sans arrêt.",
    "Pause cigarette dans la cour : personne ne parle de ce qui vient de se passer.",
    "Une jeune femme attend seule, à l'écart, capuche sur la tête.",
    "Le débriefing commence en retard ; la cheffe est au téléphone avec la mairie.",
];

/// Memo sentences a coder might write on a segment.
pub const MEMOS: &[&str] = &[
    "Menace explicite et personnelle ; c'est le ton calme qui fait peur.",
    "Hésitation avec le code voisin : l'auteur n'est pas clair.",
    "À comparer avec l'entretien précédent, même site.",
    "Le participant minimise, mais le récit est détaillé.",
    "Violence vue plutôt que vécue ; à discuter en réunion.",
    "Peut-être deux segments distincts ici.",
    "Citation forte pour le rapport.",
    "Le contexte (jour des allocations) compte.",
];

/// Words that make English definitions read like a team's codebook.
pub const ROOT_THEMES: &[(&str, &str)] = &[
    ("verbal-violence", "Verbal violence"),
    ("physical-violence", "Physical violence"),
    ("threats", "Threats"),
    ("gender-violence", "Gender-based violence"),
    ("institutional-violence", "Institutional violence"),
    ("police-encounters", "Police encounters"),
    ("neighbourhood-hostility", "Neighbourhood hostility"),
    ("worker-stigma", "Stigma towards workers"),
    ("peer-position", "Peer position"),
    ("team-support", "Team support"),
    ("coping", "Coping strategies"),
    ("working-conditions", "Working conditions"),
    ("care-practices", "Care practices"),
    ("emotional-impact", "Emotional impact"),
    ("safety-measures", "Safety measures"),
    ("organisational-response", "Organisational response"),
];

/// Settings, the second level of the tree.
pub const FACETS: &[(&str, &str)] = &[
    ("door", "at the door"),
    ("outreach", "during outreach"),
    ("room", "in the consumption room"),
    ("phone", "on the phone"),
    ("online", "online"),
    ("reception", "at reception"),
    ("street", "in the street"),
    ("home-visits", "during home visits"),
    ("partners", "with partner services"),
    ("hospital", "in hospital"),
    ("night", "at night"),
    ("squats", "in squats"),
    ("prison", "in prison settings"),
    ("festivals", "at festivals"),
    ("exclusions", "around exclusions"),
    ("management", "with management"),
    ("meetings", "in team meetings"),
    ("training", "in training"),
    ("crises", "during crises"),
    ("families", "with families"),
];

/// Qualities, the third level of the tree.
pub const ASPECTS: &[(&str, &str)] = &[
    ("first", "first experience"),
    ("repeated", "repeated"),
    ("regular", "by a regular"),
    ("stranger", "by a stranger"),
    ("witnessed", "witnessed"),
    ("reported", "reported"),
    ("unreported", "not reported"),
    ("minimised", "minimised"),
    ("anticipated", "anticipated"),
    ("deescalated", "de-escalated"),
    ("escalated", "escalated"),
    ("collective", "collective"),
    ("gendered", "gendered"),
    ("racialised", "racialised"),
    ("substances", "linked to substances"),
    ("waiting", "linked to waiting"),
    ("refusal", "linked to a refusal"),
    ("rules", "linked to house rules"),
    ("in-public", "in front of users"),
    ("after-hours", "after hours"),
    ("injury", "with injury"),
    ("long-term", "long-term effects"),
    ("immediate", "immediate reaction"),
    ("humour", "met with humour"),
    ("silence", "met with silence"),
    ("support", "support sought"),
    ("complaint", "formal complaint"),
    ("retaliation", "retaliation feared"),
    ("recurrent", "recurrent"),
    ("intimidation", "intimidation"),
    ("ongoing", "ongoing"),
    ("sudden", "sudden"),
];

/// Ways a definition can open; `{x}` is the code's subject.
pub const DEFINITIONS: &[&str] = &[
    "Passages where a worker describes {x}.",
    "Any account of {x} given by a worker, peer or volunteer.",
    "{X}, as experienced or witnessed by staff.",
    "Use for {x}; the setting matters more than the severity.",
    "Descriptions of {x}, including what led up to it.",
    "Moments of {x} that the speaker names as such.",
];

/// Sentences a description is made of.
pub const DESCRIPTIONS: &[&str] = &[
    "Participants often tell these episodes as stories with a before and an after.",
    "The team agreed to code what the worker experienced, not what a lawyer would call it.",
    "Accounts are frequently minimised; look for the detail rather than the label.",
    "This code was introduced after the pilot interviews showed how often it came up.",
    "Peers and salaried staff describe this differently; code both.",
    "Keep the whole episode in one segment when the turn allows it.",
    "Several sites changed their procedures after such events.",
    "Workers compare it with what they lived as users, which is part of the account.",
];

/// Qualifiers edits add to a definition or a criterion.
pub const QUALIFIERS: &[&str] = &[
    "including messages sent online",
    "even when the worker laughs it off",
    "whether or not it was reported",
    "when the author is a service user or a passer-by",
    "as long as the worker was on duty",
    "including episodes told second-hand by a colleague",
    "but not general complaints about the job",
    "when it concerns the service as a whole",
];

/// Rationales of codebook suggestions.
pub const RATIONALES: &[&str] = &[
    "In the last reconciliation meeting we disagreed on several passages because of this wording.",
    "The pilot wording made us code every tense exchange; this keeps the code for what workers lived as violence.",
    "Two coders used memos instead of a code for this; it deserves its own.",
    "The exclusion criterion did not say where this code ends and its neighbours begin.",
    "A reviewer of the first paper asked how we told these apart.",
    "New sites describe situations the first codebook did not foresee.",
    "The examples were all from one site; these come from three.",
];

/// What reviewers write.
pub const REVIEWS: &[&str] = &[
    "Clearer, agreed.",
    "Could the exclude criterion name the neighbouring code?",
    "Fine by me; let's tell the others at Monday's meeting.",
    "I would keep the old example as well.",
    "Yes — this matches how we coded the Lyon interviews.",
    "Not sure about the second sentence, but approving.",
    "",
];
