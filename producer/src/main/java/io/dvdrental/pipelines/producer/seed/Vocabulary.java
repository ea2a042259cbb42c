package io.dvdrental.pipelines.producer.seed;

import java.util.List;
import java.util.SplittableRandom;

/** The words the generator builds names, titles and addresses from. */
final class Vocabulary {

    static final List<String> COUNTRIES = List.of(
            "Afghanistan", "Algeria", "American Samoa", "Angola", "Anguilla", "Argentina", "Armenia", "Australia",
            "Austria", "Azerbaijan", "Bahrain", "Bangladesh", "Belarus", "Bolivia", "Brazil", "Brunei", "Bulgaria",
            "Cambodia", "Cameroon", "Canada", "Chad", "Chile", "China", "Colombia", "Congo, The Democratic Republic of the",
            "Czech Republic", "Dominican Republic", "Ecuador", "Egypt", "Estonia", "Ethiopia", "Faroe Islands",
            "Finland", "France", "French Guiana", "French Polynesia", "Gambia", "Germany", "Greece", "Greenland",
            "Holy See (Vatican City State)", "Hong Kong", "Hungary", "India", "Indonesia", "Iran", "Iraq", "Israel",
            "Italy", "Japan", "Kazakstan", "Kenya", "Kuwait", "Latvia", "Liechtenstein", "Lithuania", "Madagascar",
            "Malawi", "Malaysia", "Mexico", "Moldova", "Morocco", "Mozambique", "Myanmar", "Nauru", "Nepal",
            "Netherlands", "New Zealand", "Nigeria", "North Korea", "Oman", "Pakistan", "Paraguay", "Peru",
            "Philippines", "Poland", "Puerto Rico", "Romania", "Runion", "Russian Federation", "Saint Vincent and the Grenadines",
            "Saudi Arabia", "Senegal", "Slovakia", "South Africa", "South Korea", "Spain", "Sri Lanka", "Sudan",
            "Sweden", "Switzerland", "Taiwan", "Tanzania", "Thailand", "Tonga", "Tunisia", "Turkey", "Turkmenistan",
            "Tuvalu", "Ukraine", "United Arab Emirates", "United Kingdom", "United States", "Venezuela", "Vietnam",
            "Virgin Islands, U.S.", "Yemen", "Yugoslavia", "Zambia");

    static final List<String> LANGUAGES = List.of("English", "Italian", "Japanese", "Mandarin", "French", "German");

    static final List<String> CATEGORIES = List.of("Action", "Animation", "Children", "Classics", "Comedy",
            "Documentary", "Drama", "Family", "Foreign", "Games", "Horror", "Music", "New", "Sci-Fi", "Sports", "Travel");

    static final List<String> FIRST_NAMES = List.of("MARY", "PATRICIA", "LINDA", "BARBARA", "ELIZABETH", "JENNIFER",
            "MARIA", "SUSAN", "MARGARET", "DOROTHY", "LISA", "NANCY", "KAREN", "BETTY", "HELEN", "SANDRA", "DONNA",
            "CAROL", "RUTH", "SHARON", "MICHELLE", "LAURA", "SARAH", "KIMBERLY", "DEBORAH", "JESSICA", "JAMES", "JOHN",
            "ROBERT", "MICHAEL", "WILLIAM", "DAVID", "RICHARD", "CHARLES", "JOSEPH", "THOMAS", "CHRISTOPHER", "DANIEL",
            "PAUL", "MARK", "DONALD", "GEORGE", "KENNETH", "STEVEN", "EDWARD", "BRIAN", "RONALD", "ANTHONY", "KEVIN",
            "JASON", "MATTHEW", "GARY", "TIMOTHY", "JOSE", "LARRY", "JEFFREY", "FRANK", "SCOTT", "ERIC", "PENELOPE");

    static final List<String> LAST_NAMES = List.of("SMITH", "JOHNSON", "WILLIAMS", "JONES", "BROWN", "DAVIS", "MILLER",
            "WILSON", "MOORE", "TAYLOR", "ANDERSON", "THOMAS", "JACKSON", "WHITE", "HARRIS", "MARTIN", "THOMPSON",
            "GARCIA", "MARTINEZ", "ROBINSON", "CLARK", "RODRIGUEZ", "LEWIS", "LEE", "WALKER", "HALL", "ALLEN", "YOUNG",
            "HERNANDEZ", "KING", "WRIGHT", "LOPEZ", "HILL", "SCOTT", "GREEN", "ADAMS", "BAKER", "GONZALEZ", "NELSON",
            "CARTER", "MITCHELL", "PEREZ", "ROBERTS", "TURNER", "PHILLIPS", "CAMPBELL", "PARKER", "EVANS", "EDWARDS",
            "COLLINS", "GUINESS", "WAHLBERG", "CHASE", "DEGENERES", "LOLLOBRIGIDA", "NICHOLSON", "MOSTEL", "JOHANSSON");

    /** Title words: a film title is two of them, like the sample's "ACADEMY DINOSAUR". */
    static final List<String> TITLE_WORDS = List.of("ACADEMY", "DINOSAUR", "ACE", "GOLDFINGER", "ADAPTATION", "HOLES",
            "AFFAIR", "PREJUDICE", "AFRICAN", "EGG", "AGENT", "TRUMAN", "AIRPLANE", "SIERRA", "AIRPORT", "POLLOCK",
            "ALABAMA", "DEVIL", "ALADDIN", "CALENDAR", "ALAMO", "VIDEOTAPE", "ALASKA", "PHANTOM", "ALI", "FOREVER",
            "ALICE", "FANTASIA", "ALIEN", "CENTER", "ALLEY", "EVOLUTION", "ALONE", "TRIP", "ALTER", "VICTORY", "AMADEUS",
            "HOLY", "AMELIE", "HELLFIGHTERS", "AMERICAN", "CIRCUS", "AMISTAD", "MIDSUMMER", "ANACONDA", "CONFESSIONS",
            "ANALYZE", "HOOSIERS", "ANGELS", "LIFE", "ANNIE", "IDENTITY", "ANONYMOUS", "HUMAN", "ANTHEM", "LUKE",
            "ANTITRUST", "TOMATOES", "ANYTHING", "SAVANNAH", "APACHE", "DIVINE", "APOCALYPSE", "FLAMINGOS", "ARABIA",
            "DOGMA", "ARACHNOPHOBIA", "ROLLERCOASTER", "ARGONAUTS", "TOWN", "ARIZONA", "BANG", "ARK", "RIDGEMONT",
            "ARMAGEDDON", "LOST", "ARMY", "FLINTSTONES", "ARSENIC", "INDEPENDENCE", "ARTIST", "COLDBLOODED", "ATLANTIS",
            "CAUSE", "ATTACKS", "HATE", "ATTRACTION", "NEWTON", "AUTUMN", "CROW", "BABY", "HALL", "BACKLASH",
            "UNDEFEATED", "BADMAN", "DAWN", "BAKED", "CLEOPATRA", "BALLOON", "HOMEWARD", "BALLROOM", "MOCKINGBIRD",
            "BANGER", "PINOCCHIO", "BARBARELLA", "STREETCAR", "BAREFOOT", "MANCHURIAN", "BASIC", "EASY", "BEACH",
            "HEARTBREAKERS", "BEAR", "GRACELAND", "BEAST", "HUNCHBACK", "BEAUTY", "GREASE", "BED", "HIGHBALL",
            "BEDAZZLED", "MARRIED", "BEETHOVEN", "EXORCIST", "BEHAVIOR", "RUNAWAY", "BENEATH", "RUSH", "BERETS", "BILKO");

    static final List<String> DESCRIPTION_ADJECTIVES = List.of("Epic", "Astounding", "Fanciful", "Brilliant",
            "Thoughtful", "Unbelieveable", "Touching", "Intrepid", "Fast-Paced", "Emotional", "Beautiful", "Lacklusture");
    static final List<String> DESCRIPTION_GENRES = List.of("Drama", "Epistle", "Documentary", "Story", "Reflection",
            "Tale", "Panorama", "Saga", "Character Study", "Display", "Yarn");
    static final List<String> DESCRIPTION_CHARACTERS = List.of("Feminist", "Mad Scientist", "Teacher", "Database Administrator",
            "Lumberjack", "Waitress", "Student", "Moose", "Crocodile", "Astronaut", "Dentist", "Robot", "Monkey",
            "Composer", "Cat", "Pioneer", "Boat", "Husband", "Hunter", "Explorer", "Man", "Woman", "Dog", "Frisbee");
    static final List<String> DESCRIPTION_VERBS = List.of("Battle", "Chase", "Find", "Outgun", "Overcome", "Pursue",
            "Reach", "Redeem", "Succumb", "Sink", "Vanquish", "Build", "Face", "Fight", "Kill", "Meet", "Outrace");
    static final List<String> DESCRIPTION_PLACES = List.of("The Canadian Rockies", "The Gulf of Mexico", "A Baloon",
            "A Shark Tank", "Ancient China", "Soviet Georgia", "The Outback", "A Manhattan Penthouse", "Berlin",
            "A Jet Boat", "Nigeria", "An Abandoned Fun House", "The First Manned Space Station", "A U-Boat");

    static final List<String> SPECIAL_FEATURES = List.of("Trailers", "Commentaries", "Deleted Scenes", "Behind the Scenes");

    static final List<String> CITY_STARTS = List.of("Ab", "Bel", "Cor", "Dun", "El", "Fal", "Gor", "Hal", "Is", "Jun",
            "Kar", "Lon", "Mar", "Nov", "Or", "Pal", "Qui", "Ros", "San", "Tal", "Ur", "Val", "Wes", "Yar", "Zan",
            "Bra", "Cha", "Dor", "Fer", "Kal");
    static final List<String> CITY_ENDS = List.of("ford", "ton", "burg", "ville", "grad", "pur", "abad", "polis",
            "dale", "haven", "mouth", "stad", "field", "cruz", "ona", "elle", "ara", "ido", "nagar", "shan");

    static final List<String> STREETS = List.of("Main", "Oak", "Pine", "Maple", "Cedar", "Elm", "Lake", "Hill",
            "Sunset", "Park", "Washington", "Lincoln", "Jefferson", "River", "Bay", "Forest", "Spring", "Church");
    static final List<String> STREET_KINDS = List.of("Street", "Avenue", "Road", "Lane", "Drive", "Boulevard",
            "Way", "Parkway", "Place", "Manor");
    static final List<String> DISTRICTS = List.of("Alberta", "QLD", "Nagasaki", "California", "Texas", "Buenos Aires",
            "Punjab", "Shandong", "West Bengal", "Gois", "So Paulo", "Ontario", "Hamburg", "Moskova", "Kanagawa",
            "England", "Bihar", "Zhejiang", "Taipei", "Tamil Nadu");

    private Vocabulary() {
    }

    static String pick(List<String> words, SplittableRandom random) {
        return words.get(random.nextInt(words.size()));
    }
}
