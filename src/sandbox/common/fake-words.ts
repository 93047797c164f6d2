/** Word lists for the seeded fake-data generator. A few non-ASCII names keep encoding bugs visible. */
export const FIRST_NAMES = [
  'James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth', 'William',
  'Barbara', 'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Charles', 'Karen', 'Daniel', 'Nancy',
  'Matthew', 'Lisa', 'Anthony', 'Betty', 'Mark', 'Margaret', 'Steven', 'Sandra', 'Paul', 'Ashley', 'Andrew', 'Emily',
  'Joshua', 'Michelle', 'Kenneth', 'Amanda', 'Kevin', 'Melissa', 'Brian', 'Deborah', 'Priya', 'Rahul', 'Wei', 'Mei',
  'Hiroshi', 'Yuki', 'Olga', 'Dmitri', 'Fatima', 'Omar', 'Aisha', 'Carlos', 'Lucía', 'José', 'Zoë', 'Søren', 'Anaïs',
  'Chloé', 'Lars', 'Ingrid', 'Giulia', 'Marco', 'Nkechi', 'Kwame', 'Siobhan', 'Liam', 'Noah', 'Olivia', 'Emma', 'Ava',
] as const;

export const LAST_NAMES = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Hernandez',
  'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin', 'Lee', 'Perez',
  'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson', 'Walker', 'Young', 'Allen',
  'King', 'Wright', 'Scott', 'Torres', 'Nguyen', 'Hill', 'Flores', 'Green', 'Adams', 'Nelson', 'Baker', 'Patel',
  'Shah', 'Kim', 'Chen', 'Wang', 'Tanaka', 'Suzuki', 'Ivanova', 'Petrov', 'Müller', 'Schmidt', 'Dubois', 'Rossi',
  "O'Brien", 'Okafor', 'Mensah', 'Andersen', 'Nielsen', 'Kowalski', 'Novák', 'García Márquez', 'van der Berg',
] as const;

export const COMPANY_PREFIXES = [
  'Acme', 'Globex', 'Initech', 'Umbrella', 'Stark', 'Wayne', 'Wonka', 'Hooli', 'Vandelay', 'Soylent', 'Cyberdyne',
  'Tyrell', 'Aperture', 'Black Mesa', 'Blue Sun', 'Gringotts', 'Monarch', 'Nakatomi', 'Oscorp', 'Pied Piper',
  'Massive Dynamic', 'Virtucon', 'Zenith', 'Northwind', 'Contoso', 'Fabrikam', 'Tailspin', 'Litware', 'Proseware',
  'Adventure Works', 'Bluebird', 'Silverline', 'Redwood', 'Ironclad', 'Brightpath', 'Clearwater', 'Evergreen',
  'Summit', 'Harbor', 'Pinnacle', 'Keystone', 'Lighthouse', 'Granite', 'Copperleaf', 'Sunrise', 'Maple', 'Orion',
] as const;

export const COMPANY_SUFFIXES = [
  'Inc.', 'LLC', 'Ltd', 'Group', 'Corp', 'Labs', 'Systems', 'Partners', 'Holdings', 'Industries', 'Technologies',
  'Solutions', 'Consulting', 'Logistics', 'Analytics', 'Media', 'GmbH', 'S.A.', 'AB', 'Co.',
] as const;

export const INDUSTRIES = [
  'COMPUTER_SOFTWARE', 'INFORMATION_TECHNOLOGY_AND_SERVICES', 'MARKETING_AND_ADVERTISING', 'FINANCIAL_SERVICES',
  'HOSPITAL_HEALTH_CARE', 'RETAIL', 'CONSTRUCTION', 'LOGISTICS_AND_SUPPLY_CHAIN', 'EDUCATION_MANAGEMENT',
  'MANAGEMENT_CONSULTING', 'REAL_ESTATE', 'FOOD_BEVERAGES', 'AUTOMOTIVE', 'TELECOMMUNICATIONS', 'INSURANCE',
] as const;

export const JOB_TITLES = [
  'CEO', 'CTO', 'CFO', 'VP of Sales', 'VP of Marketing', 'Head of Operations', 'Account Executive', 'Sales Manager',
  'Marketing Manager', 'Product Manager', 'Software Engineer', 'Office Manager', 'Procurement Lead', 'Founder',
  'Customer Success Manager', 'Data Analyst', 'HR Director', 'Business Development Rep', 'Consultant', 'Controller',
] as const;

export interface Place {
  city: string;
  state: string;
  country: string;
  zip: string;
  dialCode: string;
}

export const PLACES: readonly Place[] = [
  { city: 'San Francisco', state: 'CA', country: 'United States', zip: '94105', dialCode: '+1 415' },
  { city: 'New York', state: 'NY', country: 'United States', zip: '10001', dialCode: '+1 212' },
  { city: 'Austin', state: 'TX', country: 'United States', zip: '78701', dialCode: '+1 512' },
  { city: 'Chicago', state: 'IL', country: 'United States', zip: '60601', dialCode: '+1 312' },
  { city: 'Boston', state: 'MA', country: 'United States', zip: '02110', dialCode: '+1 617' },
  { city: 'Seattle', state: 'WA', country: 'United States', zip: '98101', dialCode: '+1 206' },
  { city: 'Denver', state: 'CO', country: 'United States', zip: '80202', dialCode: '+1 303' },
  { city: 'Toronto', state: 'ON', country: 'Canada', zip: 'M5H 2N2', dialCode: '+1 416' },
  { city: 'London', state: 'England', country: 'United Kingdom', zip: 'EC1A 1BB', dialCode: '+44 20' },
  { city: 'Manchester', state: 'England', country: 'United Kingdom', zip: 'M1 1AE', dialCode: '+44 161' },
  { city: 'Dublin', state: 'Leinster', country: 'Ireland', zip: 'D02 X285', dialCode: '+353 1' },
  { city: 'Berlin', state: 'Berlin', country: 'Germany', zip: '10115', dialCode: '+49 30' },
  { city: 'München', state: 'Bayern', country: 'Germany', zip: '80331', dialCode: '+49 89' },
  { city: 'Paris', state: 'Île-de-France', country: 'France', zip: '75001', dialCode: '+33 1' },
  { city: 'Madrid', state: 'Madrid', country: 'Spain', zip: '28001', dialCode: '+34 91' },
  { city: 'Stockholm', state: 'Stockholm', country: 'Sweden', zip: '111 22', dialCode: '+46 8' },
  { city: 'Bengaluru', state: 'Karnataka', country: 'India', zip: '560001', dialCode: '+91 80' },
  { city: 'Singapore', state: 'Singapore', country: 'Singapore', zip: '018989', dialCode: '+65 6' },
  { city: 'Sydney', state: 'NSW', country: 'Australia', zip: '2000', dialCode: '+61 2' },
  { city: 'São Paulo', state: 'SP', country: 'Brazil', zip: '01000-000', dialCode: '+55 11' },
];

export const STREETS = [
  'Main St', 'Market St', 'Oak Ave', 'Pine St', 'Maple Dr', 'Cedar Ln', 'Elm St', 'Park Ave', 'High St', 'Church Rd',
  'Station Rd', 'Mill Ln', 'Harbour Way', 'King St', 'Queen St', 'Broadway', 'Sunset Blvd', 'Lake Shore Dr',
] as const;

export const FREE_MAIL_DOMAINS = ['gmail.com', 'outlook.com', 'yahoo.com', 'icloud.com', 'proton.me'] as const;
